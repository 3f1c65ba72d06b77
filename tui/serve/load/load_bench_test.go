package load

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/privacy"
	"github.com/cxtop/cxtop/model/sim"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
	"github.com/cxtop/cxtop/tui"
)

func TestMain(m *testing.M) {
	if IsClient() {
		os.Exit(ClientMain())
	}
	os.Exit(m.Run())
}

// BenchmarkServeLoad serves one engine over SSH to 1 session, then to 200
// (CXTOP_LOAD_SESSIONS), each 120×40, while one ticket a second is
// committed to the store; each phase lasts CXTOP_LOAD_SECONDS (default
// 60). The store is CXTOP_LOAD_DB (opened for writing: the benchmark's
// tickets stay in it), else 20,000 simulated tickets. CXTOP_LOAD_HEAP
// names a heap profile written while the 200 sessions are open.
//
//	CXTOP_LOAD_DB=/tmp/1m.db go test ./tui/serve/load -run '^$' -bench ServeLoad -benchtime 1x -timeout 30m
func BenchmarkServeLoad(b *testing.B) {
	st := loadStore(b, 20_000)
	key, err := privacy.NewKey()
	if err != nil {
		b.Fatal(err)
	}
	mask, err := privacy.New(key) // viewers are masked, as `cxtop serve` and `cxtop bench` have them
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	res, err := Run(context.Background(), Options{Store: st, Engine: engine.Options{Logf: b.Logf}, Config: tui.DefaultConfig(), Mask: mask,
		Sessions: envInt(b, "CXTOP_LOAD_SESSIONS", 200), For: time.Duration(envInt(b, "CXTOP_LOAD_SECONDS", 60)) * time.Second,
		Dir: b.TempDir(), HeapProfile: os.Getenv("CXTOP_LOAD_HEAP"), Logf: b.Logf})
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range []Phase{res.One, res.Many} {
		n := strconv.Itoa(p.Sessions)
		b.ReportMetric(p.CPU, "cpu%-"+n)
		b.ReportMetric(p.HeapMB, "heapMB-"+n)
		b.ReportMetric(p.LiveMB, "liveMB-"+n)
		b.ReportMetric(float64(p.P50.Microseconds())/1000, "p50ms-"+n)
		b.ReportMetric(float64(p.P99.Microseconds())/1000, "p99ms-"+n)
	}
}

// TestRunShowsEveryCommitInEverySession runs the load small: three
// sessions, two seconds of commits. Every commit reaches every session's
// terminal, and both phases measure something.
func TestRunShowsEveryCommitInEverySession(t *testing.T) {
	st := loadStore(t, 500)
	res, err := Run(context.Background(), Options{Store: st, Engine: engine.Options{Logf: t.Logf}, Config: tui.DefaultConfig(),
		Sessions: 3, For: 2 * time.Second, Dir: t.TempDir(), Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []Phase{res.One, res.Many} {
		if p.Commits < 1 || p.Seen != p.Want || p.Want != p.Commits*p.Sessions {
			t.Errorf("%d sessions: %d commits, %d of %d frames seen", p.Sessions, p.Commits, p.Seen, p.Want)
		}
		if p.CPU <= 0 || p.HeapMB <= 0 || p.LiveMB <= 0 || p.P50 > p.P99 {
			t.Errorf("%d sessions measured nothing: %+v", p.Sessions, p)
		}
	}
	if res.One.Sessions != 1 || res.Many.Sessions != 3 {
		t.Errorf("phases of %d and %d sessions, want 1 and 3", res.One.Sessions, res.Many.Sessions)
	}
}

// TestRunRefusesBadOptions: out-of-range options are one error, before
// anything is served.
func TestRunRefusesBadOptions(t *testing.T) {
	for _, opt := range []Options{
		{Dir: t.TempDir(), For: time.Second},
		{Store: &store.Store{}, Dir: t.TempDir(), Sessions: MaxSessions + 1, For: time.Second},
		{Store: &store.Store{}, Dir: t.TempDir(), Sessions: 2, For: time.Millisecond},
	} {
		if _, err := Run(context.Background(), opt); err == nil {
			t.Errorf("%+v: no error", opt)
		}
	}
}

// loadStore opens CXTOP_LOAD_DB for writing, or builds a store of n
// simulated tickets.
func loadStore(tb testing.TB, n int) *store.Store {
	if path := os.Getenv("CXTOP_LOAD_DB"); path != "" {
		st, err := store.Open(path, store.Options{})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { st.Close() })
		return st
	}
	st, err := store.Open(filepath.Join(tb.TempDir(), "cx.db"), store.Options{Create: true, NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	err = sim.Generate(sim.Options{Seed: 1, End: time.Now().UTC(), Days: 30, Tickets: n, Taxonomy: model.DefaultTaxonomy()},
		func(batch []model.Record) error { _, err := st.Write(batch); return err })
	if err != nil {
		tb.Fatal(err)
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
