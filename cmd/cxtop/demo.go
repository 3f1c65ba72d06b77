package main

import (
	"context"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/cmd/cxtop/config"
	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/model/sim"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
	"github.com/cxtop/cxtop/store/hub"
	"github.com/cxtop/cxtop/store/replica"
)

func (a *app) demoCommand() *cobra.Command {
	var (
		seed uint64
		rate float64
		days int
		dir  string
		tm   demoTiming
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run a self-contained demo: a simulated hub, the sync loop and the console",
		Long: `Start everything in one process with nothing to set up: a hub on a free loopback port
that fills with --days of simulated history and then a live stream of --rate records a
second, a store synced from it, and the console. The stores live in a temporary directory
removed on exit (or in --dir, kept). Quit with q, Ctrl-C or SIGTERM.`,
		Example: "  cxtop demo\n  cxtop demo --seed 7 --rate 20",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !(rate >= 0 && rate <= 1000) { // NaN fails too
				return usagef("--rate %g is out of range: use 0 to 1000 records a second", rate)
			}
			if days < 1 || days > 365 {
				return usagef("--days %d is out of range: use 1 to 365", days)
			}
			if dir == "" {
				tmp, err := os.MkdirTemp("", "cxtop-demo-")
				if err != nil {
					return fmt.Errorf("demo: %w", err)
				}
				defer os.RemoveAll(tmp)
				dir = tmp
			} else if err := os.MkdirAll(dir, 0o700); err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			tm.Out = a.io.err
			if err := tm.begin(); err != nil {
				return err
			}
			defer tm.stopCPU()
			return a.runDemo(ctx, dir, seed, rate, days, &tm)
		},
	}
	fl := cmd.Flags()
	fl.Uint64Var(&seed, "seed", 1, "random seed of the simulated history and stream")
	fl.Float64Var(&rate, "rate", 5, "live records a second once the history is in (0–1000)")
	fl.IntVar(&days, "days", 90, "days of simulated history (1–365)")
	fl.StringVar(&dir, "dir", "", "keep the demo's stores and log here (default: a temporary directory)")
	// The measurement path of docs/PERFORMANCE.md ("The demo's history").
	fl.BoolVar(&tm.UntilSynced, "until-synced", false, "print how long the history took to arrive and quit once it is in the console's store")
	fl.StringVar(&tm.CPUProfile, "cpuprofile", "", "write a CPU profile of the demo to this file")
	fl.MarkHidden("until-synced")
	fl.MarkHidden("cpuprofile")
	return cmd
}

// hubCoalesce is the least time between two computations of the demo
// hub's state (the engine's default is 250 ms): each costs 0.1-0.2 s of CPU
// while the history grows, ~1 s of the ~19 s the history's arrival cost.
const hubCoalesce = 5 * time.Second

// demoGCPercent is the GC's pace (GOGC) while the history arrives: the
// records, their encodings and the transactions' pages of two stores are
// short-lived garbage, and at the default 100 the collector took ~2 s of
// the ~19 s of CPU. 300 saved ~2.5 s but the peak RSS grew from ~500 to
// ~740 MB; 200 is between.
const demoGCPercent = 200

func (a *app) runDemo(ctx context.Context, dir string, seed uint64, rate float64, days int, tm *demoTiming) error {
	settings := demoSettings(a.cfg, time.Now().UTC(), days)
	opt := a.engineOptions()
	opt.KPIs, opt.Programme = settings.KPI.Defs, settings.KPI.Programme
	logFile, err := os.OpenFile(filepath.Join(dir, "demo.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer logFile.Close()
	logger := log.New(logFile, "", log.LstdFlags)
	opt.Logf = logger.Printf
	logStop := func(format string, args ...any) { logger.Printf("demo: "+format, args...) }

	// Throwaway stores: no fsync, so the history goes in fast. The hub's
	// engine runs the automations and queues the contacts, as a hub does.
	// Nobody looks at the hub's state but a console attached to its
	// socket: computed at most every hubCoalesce, it leaves the cores
	// to the history.
	hubOpt := opt
	hubOpt.Coalesce = hubCoalesce
	hubEng, err := engine.Open(filepath.Join(dir, "hub.db"), store.Options{Create: true, NoSync: true}, hubOpt)
	if err != nil {
		return err
	}
	defer stopEngine(hubEng, logStop)
	hubSt := hubEng.Store()
	h, err := hub.New(hubSt, hub.Options{Taxonomy: a.cfg.Taxonomy})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("demo: listen on loopback: %w", err)
	}
	url := "http://" + ln.Addr().String()
	if opt.Remote, err = replica.NewHubRemote(url, "", 10*time.Second); err != nil {
		return err
	}
	// generated counts the history's records in the hub, -1 once all are.
	var generated atomic.Int64
	opt.Progress = func() string {
		if n := generated.Load(); n >= 0 {
			return fmt.Sprintf("simulating %d days of history: %d records so far", days, n)
		}
		return ""
	}
	opt.Replica = replica.Options{Taxonomy: a.cfg.Taxonomy, Interval: time.Second, Logf: logger.Printf, PageSize: syncPage}
	local, err := engine.Open(filepath.Join(dir, "cxtop.db"), store.Options{Create: true, NoSync: true}, opt)
	if err != nil {
		return err
	}
	defer stopEngine(local, logStop)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	run := func(name string, fn func() error) {
		wg.Add(1)
		go pprof.Do(ctx, pprof.Labels("demo", name), func(ctx context.Context) {
			defer wg.Done()
			if err := fn(); err != nil && ctx.Err() == nil {
				logger.Printf("demo: %s: %v", name, err)
			}
		})
	}
	// However the demo ends, the goroutines stop before the engines close.
	defer wg.Wait()
	defer cancel()
	// Each part's goroutines carry its name in a CPU profile (--cpuprofile;
	// go tool pprof -tags).
	pprof.Do(ctx, pprof.Labels("demo", "hub engine"), hubEng.Start)
	pprof.Do(ctx, pprof.Labels("demo", "console engine and sync"), local.Start)
	run("hub", func() error { return hub.Serve(ctx, ln, h.Handler(), hub.ConnLimits{}) })
	run("simulation", func() error {
		// History first, oldest first, in the background: the console
		// shows it arriving.
		// As simulate does: the next batch is generated and prepared
		// while the hub's store writes this one.
		end := time.Now().UTC().Truncate(time.Second)
		bw := hubSt.NewBatchWriter()
		err := sim.GenerateAhead(sim.Options{Seed: seed, End: end, Days: days, Taxonomy: a.cfg.Taxonomy, BatchSize: simulateBatch}, simulateAhead,
			func(batch []model.Record) error {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				generated.Add(int64(len(batch)))
				return bw.Write(batch)
			})
		if _, werr := bw.Close(); err == nil {
			err = werr
		}
		if err != nil {
			return err
		}
		generated.Store(-1)
		if seq, err := hubSt.Seq(); err == nil {
			tm.historyInHub(seq)
		}
		logger.Printf("demo: %d days of history are in the hub", days)
		if rate == 0 {
			return nil
		}
		live := sim.NewLive(seed, a.cfg.Taxonomy, "L")
		return h.Simulate(ctx, time.Second, func(from, to time.Time) []model.Record { return live.Step(from, to, rate) })
	})
	// In one process the hub can say when it has news: sync at once rather
	// than at the next interval.
	hubChanges := hubSt.Subscribe()
	defer hubChanges.Cancel()
	client := local.Client()
	run("kick", func() error {
		for {
			select {
			case <-ctx.Done():
				return nil
			case _, ok := <-hubChanges.C:
				if !ok {
					return nil
				}
				hubChanges.Take()
				client.Kick()
			}
		}
	})
	// The history is garbage-collected less often while it arrives
	// (demoGCPercent); the usual pace returns once it is in. As with
	// store.BulkGC (which stays up for the whole write, so not here: the
	// console runs on), a GOGC set by the user is left alone.
	restoreGC := func() {}
	if os.Getenv("GOGC") == "" {
		before := debug.SetGCPercent(demoGCPercent)
		var once sync.Once
		restoreGC = func() { once.Do(func() { debug.SetGCPercent(before) }) }
	}
	defer restoreGC()
	run("timing", func() error {
		tm.watch(ctx, local.Store(), logger.Printf, func() {
			restoreGC()
			if tm.UntilSynced {
				cancel()
			}
		})
		return nil
	})
	return runConsole(ctx, consoleEnv{
		Engine: local, Settings: settings, User: a.user(), Remote: url,
		In: a.io.in, Out: a.io.out, Interactive: isTerminal(a.io.in) && isTerminal(a.io.out),
	})
}

// demoSettings are the config's settings, with a CX programme when the
// config names none, so the demo shows ROI and the "since go-live" figures
// instead of "no cost": it went live a third of the way into the simulated
// history, costs 3 billion đồng a year plus a 200 million set-up, and
// started from CSAT 80%, 5-day order processing and 1.7 billion đồng of
// digital revenue a month (the seeds' baselines).
func demoSettings(cfg config.Settings, now time.Time, days int) config.Settings {
	if p := cfg.KPI.Programme; p.HasCost() || !p.GoLive.IsZero() {
		return cfg
	}
	p := cfg.KPI.Programme
	p.GoLive = now.Add(-time.Duration(days) * 24 * time.Hour * 2 / 3).Truncate(24 * time.Hour)
	p.YearlyCost = 3_000_000_000
	p.Costs = []kpi.Entry{{At: p.GoLive, Amount: 200_000_000, Label: "set-up"}}
	p.Baselines = map[string]float64{"csat": 0.80, "order_processing_h": 120}
	p.BaselineDigitalRevenue = 1_700_000_000
	cfg.KPI = cfg.KPI.WithProgramme(p)
	return cfg
}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
