package serve

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/sim"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
	"github.com/cxtop/cxtop/tui"
)

func TestMain(m *testing.M) {
	if os.Getenv(loadClientEnv) != "" {
		os.Exit(runLoadClients())
	}
	os.Exit(m.Run())
}

// BenchmarkServeLoad serves one engine over SSH to 1 session, then to 200
// (CXTOP_LOAD_SESSIONS), each 120×40, while one ticket a second is
// committed to the store that sorts first in the queue; each phase lasts
// CXTOP_LOAD_SECONDS (default 60). The sessions are SSH clients in a child
// process, so what is measured is the server's: CPU (user + system, % of
// one core), the heap in use (the largest sample, taken every second) and
// the time from each commit to each session's terminal showing the
// ticket (p50, p99). The store is CXTOP_LOAD_DB (opened for writing: the
// benchmark's tickets stay in it), else 20,000 simulated tickets.
//
//	CXTOP_LOAD_DB=/tmp/1m.db go test ./tui/serve -run '^$' -bench ServeLoad -benchtime 1x -timeout 30m
func BenchmarkServeLoad(b *testing.B) {
	seconds := envInt(b, "CXTOP_LOAD_SECONDS", 60)
	many := envInt(b, loadSessEnv, 200)
	st := loadStore(b)
	eng := engine.New(st, engine.Options{Logf: b.Logf})
	eng.Start(context.Background())
	defer eng.Close()
	dir := b.TempDir()
	srv, err := New(Options{Engine: eng, Config: tui.DefaultConfig(), Listen: "127.0.0.1:0", Theme: "dark",
		HostKeyPath: filepath.Join(dir, "host_key"), MaxSessions: many + 10})
	if err != nil {
		b.Fatal(err)
	}
	addr, err := srv.Listen()
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx) }()
	defer func() { cancel(); <-served }()
	clientKey := filepath.Join(dir, "client_key")
	if _, err := loadHostKey(clientKey); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for _, n := range []int{1, many} {
		p := runPhase(b, st, addr.String(), clientKey, authorizedLine(srv.signer.PublicKey()), n, time.Duration(seconds)*time.Second)
		b.Logf("%d sessions: CPU %.1f%% of a core, heap in use %.1f MB (max), commit to frame p50 %s p99 %s, %d of %d frames seen, %d commits",
			n, p.cpu, p.heapMB, p.p50, p.p99, p.seen, p.want, p.commits)
		b.ReportMetric(p.cpu, fmt.Sprintf("cpu%%-%d", n))
		b.ReportMetric(p.heapMB, fmt.Sprintf("heapMB-%d", n))
		b.ReportMetric(float64(p.p50.Microseconds())/1000, fmt.Sprintf("p50ms-%d", n))
		b.ReportMetric(float64(p.p99.Microseconds())/1000, fmt.Sprintf("p99ms-%d", n))
	}
}

// phase is what one phase measured.
type phase struct {
	cpu        float64 // % of one core
	heapMB     float64
	p50, p99   time.Duration
	seen, want int
	commits    int
}

func runPhase(b *testing.B, st *store.Store, addr, key, hostKey string, n int, d time.Duration) phase {
	self, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), loadClientEnv+"="+addr, loadSessEnv+"="+strconv.Itoa(n), loadKeyEnv+"="+key, loadHostEnv+"="+hostKey)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	for lines.Scan() && lines.Text() != "ready" { // markers of an earlier phase on the first frames
	}
	if lines.Text() != "ready" {
		b.Fatalf("the %d load clients did not get ready: %v", n, lines.Err())
	}
	// seen: marker → session → first time its terminal showed it.
	var mu sync.Mutex
	seen := map[string]map[int]int64{}
	read := make(chan struct{})
	go func() {
		defer close(read)
		for lines.Scan() {
			f := strings.Fields(lines.Text())
			if len(f) != 4 || f[0] != "seen" {
				continue
			}
			sess, _ := strconv.Atoi(f[2])
			at, _ := strconv.ParseInt(f[3], 10, 64)
			mu.Lock()
			if seen[f[1]] == nil {
				seen[f[1]] = map[int]int64{}
			}
			if _, ok := seen[f[1]][sess]; !ok {
				seen[f[1]][sess] = at
			}
			mu.Unlock()
		}
	}()
	time.Sleep(2 * time.Second) // the first frames settle
	runtime.GC()
	var ms runtime.MemStats
	heap := uint64(0)
	cpu0, wall0 := cpuTime(b), time.Now()
	committed := map[string]int64{}
	tick := time.NewTicker(time.Second)
	for end := time.Now().Add(d); time.Now().Before(end); <-tick.C {
		id, at := commitMarker(b, st)
		committed[id] = at
		runtime.ReadMemStats(&ms)
		heap = max(heap, ms.HeapInuse)
	}
	tick.Stop()
	cpu, wall := cpuTime(b)-cpu0, time.Since(wall0)
	time.Sleep(2 * time.Second) // the last frames arrive
	stdin.Close()
	cmd.Wait()
	<-read
	var lat []time.Duration
	for id, at := range committed {
		for _, t := range seen[id] {
			lat = append(lat, time.Duration(t-at))
		}
	}
	slices.Sort(lat)
	p := phase{cpu: 100 * cpu.Seconds() / wall.Seconds(), heapMB: float64(heap) / (1 << 20),
		seen: len(lat), want: len(committed) * n, commits: len(committed)}
	if len(lat) > 0 {
		p.p50, p.p99 = lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*99/100)]
	}
	return p
}

// commitMarker commits one open, escalated ticket whose SLA fell due
// before every other's, so it sorts first in the queue, and returns its id
// and when the commit returned.
func commitMarker(b *testing.B, st *store.Store) (string, int64) {
	now := time.Now().UTC()
	id := fmt.Sprintf("%s%07d", loadMarker, now.UnixMilli()%10_000_000)
	// Later markers fall due earlier still: each is the new first row.
	due := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Duration(now.Unix()-1_700_000_000) * time.Second)
	created := due.Add(-time.Hour)
	t := &model.Ticket{ID: id, Subject: "load benchmark", Status: model.StatusNew, Type: "complaint", SubType: "late_delivery",
		Source: "email", Priority: model.PriorityUrgent, Department: "customer_care", Escalated: true,
		CreatedAt: created, UpdatedAt: created, SLADueAt: due, Version: 1}
	if _, err := st.Write([]model.Record{{Ticket: t}}); err != nil {
		b.Fatal(err)
	}
	return id, time.Now().UnixNano()
}

// cpuTime is the user and system time this process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadStore opens CXTOP_LOAD_DB for writing, or builds a small store.
func loadStore(b *testing.B) *store.Store {
	if path := os.Getenv("CXTOP_LOAD_DB"); path != "" {
		st, err := store.Open(path, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		return st
	}
	st, err := store.Open(filepath.Join(b.TempDir(), "cx.db"), store.Options{Create: true, NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	err = sim.Generate(sim.Options{Seed: 1, End: time.Now().UTC(), Days: 30, Tickets: 20_000, Taxonomy: model.DefaultTaxonomy()},
		func(batch []model.Record) error { _, err := st.Write(batch); return err })
	if err != nil {
		b.Fatal(err)
	}
	return st
}

func envInt(b *testing.B, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q: want a positive number", name, s)
	}
	return n
}
