package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/cxtop/cxtop/store/engine"
)

func TestNextWindowCycles(t *testing.T) {
	for _, tc := range []struct{ from, want time.Duration }{
		{0, 24 * time.Hour}, // from each KPI's own window
		{24 * time.Hour, 7 * 24 * time.Hour},
		{7 * 24 * time.Hour, 30 * 24 * time.Hour},
		{30 * 24 * time.Hour, 90 * 24 * time.Hour},
		{90 * 24 * time.Hour, 0}, // back to each KPI's own window
		{12 * time.Hour, 0},      // a configured window outside the list
	} {
		if got := nextWindow(tc.from); got != tc.want {
			t.Errorf("nextWindow(%s) = %s, want %s", tc.from, got, tc.want)
		}
	}
}

// A console on a snapshot: the banner is the first line, the panes fit
// under it, and the window key moves the gauges' window, named in the
// pane's title, and their figures with it.
func TestBannerAndWindowKey(t *testing.T) {
	st := testStore(t)
	eng := testEngine(t, st, engine.Options{ReadOnly: true})
	m, err := New(Options{Engine: eng, Config: DefaultConfig(), Role: engine.RoleSnapshot, Theme: "dark", Renderer: asciiRenderer(),
		Now: func() time.Time { return testNow }, Banner: "SNAPSHOT of cx.db taken 2026-05-04 10:00Z · read-only"})
	if err != nil {
		t.Fatal(err)
	}
	p := &probe{Model: m}
	tm := teatest.NewTestModel(t, p, teatest.WithInitialTermSize(200, 60))
	t.Cleanup(func() {
		tm.Quit()
		tm.WaitFinished(t, teatest.WithFinalTimeout(30*time.Second))
		m.Close()
	})
	s := &session{t: t, tm: tm, p: p, st: st}
	f := s.waitFor("KPIs, each over its window", "Queue: 5 open")
	lines := strings.Split(f, "\n")
	if !strings.HasPrefix(lines[0], " SNAPSHOT of cx.db taken 2026-05-04 10:00Z") || len(lines) != 60 {
		t.Fatalf("banner or height wrong (%d lines):\n%s", len(lines), f)
	}
	// NPS over its own 30-day window sees the answer of 30 hours ago.
	if got := nps(f); !strings.Contains(got, "-100.0") {
		t.Fatalf("NPS over its own 30d window should be -100: %q", got)
	}
	// The NPS answer of 30 hours ago is outside 24h, inside 7d.
	s.press("w")
	f = s.waitFor("KPIs, last 24h", "KPIs over the last 24h")
	if got := nps(f); strings.Contains(got, "-100.0") {
		t.Fatalf("NPS over 24h should have no value: %q", got)
	}
	s.press("w")
	f = s.waitFor("KPIs, last 7d", "KPIs over the last 7d")
	if got := nps(f); !strings.Contains(got, "-100.0") {
		t.Fatalf("NPS over 7d should be -100 (one detractor): %q", got)
	}
	s.press("w", "w", "w")
	s.waitFor("KPIs, each over its window")
}

// nps is the NPS gauge's line of a frame.
func nps(frame string) string {
	for _, l := range strings.Split(frame, "\n") {
		if i := strings.Index(l, "NPS "); i >= 0 {
			return l[i:min(i+40, len(l))]
		}
	}
	return ""
}

// The config's console.window is the gauges' window at start.
func TestConfiguredStartWindow(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Console.Window = "30d"
	eng := testEngine(t, testStore(t), engine.Options{ReadOnly: true})
	m, err := New(Options{Engine: eng, Config: cfg, Role: engine.RoleViewer, Theme: "dark", Renderer: asciiRenderer(),
		Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	m.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
	m.Update(stateMsg{st: eng.State()})
	if !strings.Contains(m.View(), "KPIs, last 30d") {
		t.Fatalf("the gauges do not start over 30d:\n%s", m.View())
	}
}

// b in the trends pane shows the tickets by type, then by sub-type, over
// the trend's range, and comes back to the chart.
func TestTrendsBreakdown(t *testing.T) {
	s := startSession(t, testStore(t), engine.RoleViewer, 200, 60)
	s.waitFor("Queue: 5 open")
	s.press("3", "b")
	f := s.waitFor("Tickets by type, last 24h", "complaint")
	if !strings.Contains(f, "BACKLOG") || !strings.Contains(f, "return_exchange") {
		t.Fatalf("no breakdown by type:\n%s", f)
	}
	s.press("b")
	s.waitFor("Tickets by subtype", "late_delivery")
	s.press("b", "b", "b", "b")
	s.waitFor("3 Trend: ")
}
