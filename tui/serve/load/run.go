package load

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/privacy"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
	"github.com/cxtop/cxtop/tui"
	"github.com/cxtop/cxtop/tui/serve"
)

// Options of a run. Store, For and Dir are needed; the rest has defaults.
type Options struct {
	// Store is opened for writing: the run commits its tickets to it
	// (open, escalated, due in 2000, so each is the first row of every
	// queue; they stay in the store).
	Store *store.Store
	// Engine configures the engine the run starts on Store: its rules and
	// automations run, as in `serve --remote`.
	Engine engine.Options
	Config tui.Config
	// Mask hides personal data in every session, as `cxtop serve` does
	// for viewers by default.
	Mask *privacy.Masker
	// Sessions is the many sessions' count (default 200), each Width ×
	// Height (default 120×40).
	Sessions      int
	Width, Height int
	// For is how long each phase commits, one ticket a second.
	For time.Duration
	// Dir holds the run's keys.
	Dir string
	// Client starts the clients' process; it must call ClientMain when
	// IsClient (default: this binary again, with no arguments).
	Client func() (*exec.Cmd, error)
	// HeapProfile, when set, is written at the end of the many sessions'
	// phase (what holds the heap while they are all open); the run then
	// samples allocations finely (runtime.MemProfileRate).
	HeapProfile string
	// Logf tells what the run is doing (default: nothing).
	Logf func(format string, args ...any)
}

// Limits of Options.Sessions: serve admits at most MaxSessionsLimit.
const (
	MinSessions = 1
	MaxSessions = serve.MaxSessionsLimit - 10
)

// Phase is what one phase measured.
type Phase struct {
	Sessions int
	CPU      float64 // user + system time over wall time, % of one core
	// HeapMB is the largest heap in use (runtime.MemStats.HeapInuse: the
	// spans holding objects, so live objects, garbage not yet collected
	// and the spans' free slots) seen while the phase commits, sampled
	// every heapEvery: what the process's heap really occupies at its
	// worst, not the live heap alone.
	HeapMB float64
	// LiveMB is the heap's live objects after a collection at the end of
	// the phase's commits, every session still open (HeapAlloc).
	LiveMB float64
	// P50 and P99 of the time from a commit's return to a session's
	// terminal receiving the ticket, over every commit and session (a
	// frame that did not arrive within a minute counts as a minute).
	P50, P99 time.Duration
	// Seen of Want frames (commits × sessions) arrived; Commits made.
	Seen, Want, Commits int
}

// Result is the one session's phase (the reference) and the many's.
type Result struct{ One, Many Phase }

// settle is how long the first frames get before a phase measures, and
// arrive the longest a frame may take after its commit before the
// phase stops waiting for it (a frame not seen by then is counted
// missing, not waited for forever).
const (
	settle = 2 * time.Second
	arrive = 60 * time.Second
)

// Run serves one engine on opt.Store over SSH, to one session and then to
// opt.Sessions, each phase committing a ticket a second for opt.For.
func Run(ctx context.Context, opt Options) (Result, error) {
	if opt.Sessions == 0 {
		opt.Sessions = 200
	}
	if opt.Width == 0 || opt.Height == 0 {
		opt.Width, opt.Height = 120, 40
	}
	if opt.Logf == nil {
		opt.Logf = func(string, ...any) {}
	}
	if opt.Client == nil {
		opt.Client = func() (*exec.Cmd, error) {
			self, err := os.Executable()
			return exec.Command(self), err
		}
	}
	switch {
	case opt.Store == nil || opt.Dir == "":
		return Result{}, errors.New("load: no store or directory")
	case opt.Sessions < MinSessions || opt.Sessions > MaxSessions:
		return Result{}, fmt.Errorf("load: %d sessions: use %d to %d", opt.Sessions, MinSessions, MaxSessions)
	case opt.For < time.Second:
		return Result{}, fmt.Errorf("load: phases of %s: at least 1s", opt.For)
	}
	if opt.HeapProfile != "" {
		// Sample every 4 KB allocated, not every 512 KB: a session's
		// buffers of a few KB each are then seen, not guessed at.
		defer func(rate int) { runtime.MemProfileRate = rate }(runtime.MemProfileRate)
		runtime.MemProfileRate = 4 << 10
	}
	eng := engine.New(opt.Store, opt.Engine)
	eng.Start(ctx)
	defer eng.Close()
	if err := ready(ctx, eng, opt.Logf); err != nil {
		return Result{}, err
	}
	srv, err := serve.New(serve.Options{Engine: eng, Config: opt.Config, Listen: "127.0.0.1:0", Theme: "dark",
		HostKeyPath: filepath.Join(opt.Dir, "host_key"), MaxSessions: opt.Sessions + 10, Mask: opt.Mask})
	if err != nil {
		return Result{}, err
	}
	addr, err := srv.Listen()
	if err != nil {
		return Result{}, err
	}
	sctx, cancel := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx) }()
	defer func() { cancel(); <-served }()
	keyPath := filepath.Join(opt.Dir, "client_key")
	if err := writeClientKey(keyPath); err != nil {
		return Result{}, err
	}
	r := &runner{opt: opt, addr: addr.String(), key: keyPath,
		hostKey: strings.TrimSpace(string(gossh.MarshalAuthorizedKey(srv.HostKey())))}
	var res Result
	if res.One, err = r.phase(ctx, 1, ""); err != nil {
		return res, err
	}
	res.Many, err = r.phase(ctx, opt.Sessions, opt.HeapProfile)
	return res, err
}

// ready waits for the engine's first round (every window computed, the
// rules' first evaluation and the automations' first pass, which on a big
// store take a while) to end: the one session's figures are then the
// steady state's, as the many's are.
func ready(ctx context.Context, eng *engine.Engine, logf func(string, ...any)) error {
	sub := eng.Subscribe()
	defer sub.Cancel()
	logf("waiting for the engine's first round")
	deadline := time.NewTimer(engineFirstRound)
	defer deadline.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline.C:
			logf("the engine's first round took over %s: measuring anyway", engineFirstRound)
			return nil
		case st, ok := <-sub.C:
			if !ok {
				return errors.New("load: the engine stopped")
			}
			if st.Err != nil {
				return fmt.Errorf("load: %w", st.Err)
			}
			if st.Complete() && (!st.Rules || !st.Evaluated.IsZero()) {
				return nil
			}
		}
	}
}

// engineFirstRound bounds the wait for the engine's first round.
const engineFirstRound = 10 * time.Minute

type runner struct {
	opt                Options
	addr, key, hostKey string
}

// phase opens n sessions, commits a ticket a second for opt.For and waits
// for every session to show every ticket (at most arrive after the last).
func (r *runner) phase(ctx context.Context, n int, heapProfile string) (Phase, error) {
	r.opt.Logf("%d sessions: opening", n)
	cmd, err := r.opt.Client()
	if err != nil {
		return Phase{}, err
	}
	cmd.Env = append(os.Environ(), ClientEnv+"="+r.addr, sessEnv+"="+strconv.Itoa(n), keyEnv+"="+r.key,
		hostKeyEnv+"="+r.hostKey, fmt.Sprintf("%s=%dx%d", sizeEnv, r.opt.Width, r.opt.Height))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return Phase{}, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return Phase{}, err
	}
	if err := cmd.Start(); err != nil {
		return Phase{}, fmt.Errorf("load clients: %w", err)
	}
	defer func() {
		stdin.Close()
		cmd.Wait()
	}()
	lines := bufio.NewScanner(stdout)
	for lines.Scan() && lines.Text() != "ready" { // markers of an earlier phase on the first frames
	}
	if lines.Text() != "ready" {
		return Phase{}, fmt.Errorf("the %d load clients did not get ready (%v): see their error above", n, lines.Err())
	}
	s := &seen{at: map[string]map[int]int64{}}
	go s.read(lines)
	if err := sleep(ctx, settle); err != nil {
		return Phase{}, err
	}
	r.opt.Logf("%d sessions: committing a ticket a second for %s", n, r.opt.For)
	runtime.GC()
	peak := sampleHeap()
	cpu0, wall0 := cpuTime(), time.Now()
	committed := map[string]int64{}
	tick := time.NewTicker(time.Second)
	for end := time.Now().Add(r.opt.For); time.Now().Before(end); {
		id, at, err := commitMarker(r.opt.Store)
		if err != nil {
			tick.Stop()
			peak()
			return Phase{}, err
		}
		committed[id] = at
		select {
		case <-ctx.Done():
			tick.Stop()
			peak()
			return Phase{}, ctx.Err()
		case <-tick.C:
		}
	}
	tick.Stop()
	cpu, wall := cpuTime()-cpu0, time.Since(wall0)
	heap := peak()
	// The live heap with every session still open: what the sessions
	// hold, without the garbage the collector's pacing lets pile up.
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if heapProfile != "" {
		if err := writeHeapProfile(heapProfile); err != nil {
			return Phase{}, err
		}
	}
	want := len(committed) * n
	for deadline := time.Now().Add(arrive); s.count() < want && time.Now().Before(deadline); {
		if err := sleep(ctx, 50*time.Millisecond); err != nil {
			return Phase{}, err
		}
	}
	p := Phase{Sessions: n, CPU: 100 * cpu.Seconds() / wall.Seconds(), HeapMB: float64(heap) / (1 << 20), LiveMB: float64(ms.HeapAlloc) / (1 << 20),
		Want: want, Commits: len(committed)}
	lat := s.latencies(committed)
	p.Seen = len(lat)
	// A frame that never came counts as arriving at the deadline: the
	// percentiles do not improve by losing frames.
	for range want - p.Seen {
		lat = append(lat, arrive)
	}
	if len(lat) > 0 {
		p.P50, p.P99 = lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*99/100)]
	}
	r.opt.Logf("%d sessions: CPU %.1f%% of a core, heap in use %.1f MB (max), live %.1f MB, commit to frame p50 %s p99 %s, %d of %d frames seen",
		n, p.CPU, p.HeapMB, p.LiveMB, p.P50.Round(time.Millisecond), p.P99.Round(time.Millisecond), p.Seen, p.Want)
	return p, nil
}

// seen is, for each marker id and session, when the session's terminal
// first showed it, as the clients report.
type seen struct {
	mu sync.Mutex
	at map[string]map[int]int64
	n  int
}

func (s *seen) read(lines *bufio.Scanner) {
	for lines.Scan() {
		f := strings.Fields(lines.Text())
		if len(f) != 4 || f[0] != "seen" {
			continue
		}
		sess, err1 := strconv.Atoi(f[2])
		at, err2 := strconv.ParseInt(f[3], 10, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		s.mu.Lock()
		if s.at[f[1]] == nil {
			s.at[f[1]] = map[int]int64{}
		}
		if _, ok := s.at[f[1]][sess]; !ok {
			s.at[f[1]][sess] = at
			s.n++
		}
		s.mu.Unlock()
	}
}

func (s *seen) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// latencies are the times from each commit to each session's frame,
// sorted.
func (s *seen) latencies(committed map[string]int64) []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var lat []time.Duration
	for id, at := range committed {
		for _, t := range s.at[id] {
			lat = append(lat, time.Duration(t-at))
		}
	}
	slices.Sort(lat)
	return lat
}

// commitMarker commits one open, escalated ticket whose SLA fell due
// before every other's, so it sorts first in the queue, and returns its id
// and when the commit returned.
func commitMarker(st *store.Store) (string, int64, error) {
	now := time.Now().UTC()
	id := fmt.Sprintf("%s%07d", markerStart, now.UnixMilli()%10_000_000)
	// Later markers fall due earlier still: each is the new first row.
	due := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Duration(now.Unix()-1_700_000_000) * time.Second)
	created := due.Add(-time.Hour)
	t := &model.Ticket{ID: id, Subject: "load benchmark", Status: model.StatusNew, Type: "complaint", SubType: "late_delivery",
		Source: "email", Priority: model.PriorityUrgent, Department: "customer_care", Escalated: true,
		CreatedAt: created, UpdatedAt: created, SLADueAt: due, Version: 1}
	if _, err := st.Write([]model.Record{{Ticket: t}}); err != nil {
		return "", 0, fmt.Errorf("load: commit: %w", err)
	}
	return id, time.Now().UnixNano(), nil
}

// heapEvery is how often a phase samples the heap in use: a sample a
// second, taken at the commit, always came before that commit's drawing
// (every session draws within tens of milliseconds after it); twenty a
// second see the heap as it grows towards each collection. (Each sample
// stops the world for some microseconds: noise in the CPU figure.)
const heapEvery = 50 * time.Millisecond

// sampleHeap samples HeapInuse every heapEvery until the function it
// returns is called, which returns the largest sample.
func sampleHeap() func() uint64 {
	stop, done := make(chan struct{}), make(chan uint64, 1)
	go func() {
		var ms runtime.MemStats
		peak := uint64(0)
		tick := time.NewTicker(heapEvery)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				done <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return sync.OnceValue(func() uint64 { close(stop); return <-done })
}

// cpuTime is the user and system time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func writeClientKey(path string) error {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	block, err := gossh.MarshalPrivateKey(priv, "cxtop load client")
	if err != nil {
		return err
	}
	return os.WriteFile(path, pem.EncodeToMemory(block), 0o600)
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
