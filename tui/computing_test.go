package tui

import (
	"maps"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/cxtop/cxtop/store/engine"
)

// completeState waits for the engine's state that holds every window (its
// first holds only what a first frame shows).
func completeState(t *testing.T, eng *engine.Engine) *engine.State {
	t.Helper()
	sub := eng.Subscribe()
	defer sub.Cancel()
	deadline := time.After(10 * time.Second) // a hang guard, not a timing assertion
	for {
		select {
		case st := <-sub.C:
			if st.Complete() {
				return st
			}
		case <-deadline:
			t.Fatal("the engine never published a complete state")
		}
	}
}

// TestWindowsStillComputingSayForThenFill: before the engine's state holds
// the 90d window (its first state leaves it for the next), the trends pane
// over 90d and the gauges over 90d say "computing…", not "no data" or
// zeros; the next state fills both, and a window the engine does not
// compute at all still says so.
func TestWindowsStillComputingSayForThenFill(t *testing.T) {
	const long = 90 * 24 * time.Hour
	eng := testEngine(t, testStore(t), engine.Options{ReadOnly: true})
	full := completeState(t, eng)
	if _, ok := full.Trends[long]; !ok {
		t.Fatal("the complete state has no 90d trends")
	}
	first := *full
	first.Reports, first.Trends = maps.Clone(full.Reports), maps.Clone(full.Trends)
	delete(first.Reports, long)
	delete(first.Trends, long)
	first.Computing = []time.Duration{long}

	m := newModelOn(t, eng, engine.RoleViewer, DefaultConfig())
	defer m.Close()
	m.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
	m.Update(stateMsg{st: &first})
	m.Update(keyMsg("3"))
	for range 3 { // 24h → 7d → 30d → 90d
		m.Update(keyMsg("r"))
	}
	for range 4 { // own windows → 24h → 7d → 30d → 90d
		m.Update(keyMsg("w"))
	}
	trends, gauges := m.trends.View(), m.gauges.View()
	if !strings.Contains(trends, "Trend: CSAT, 90d") || !strings.Contains(trends, "computing…") || strings.Contains(trends, "one point per") {
		t.Fatalf("the trends pane over a window still computing:\n%s", trends)
	}
	if !strings.Contains(gauges, "KPIs, last 90d") || !strings.Contains(gauges, "computing…") || strings.Contains(gauges, "CSAT") {
		t.Fatalf("the gauges over a window still computing:\n%s", gauges)
	}
	if m.settled() {
		t.Fatal("a console showing a window still computing says it is settled")
	}

	m.Update(stateMsg{st: full})
	trends, gauges = m.trends.View(), m.gauges.View()
	if strings.Contains(trends, "computing…") || !strings.Contains(trends, "one point per") {
		t.Fatalf("the trends pane after the complete state:\n%s", trends)
	}
	if strings.Contains(gauges, "computing…") || !strings.Contains(gauges, "CSAT") {
		t.Fatalf("the gauges after the complete state:\n%s", gauges)
	}

	// A window the engine does not compute at all is not "computing".
	none := *full
	none.Reports, none.Trends = maps.Clone(full.Reports), maps.Clone(full.Trends)
	delete(none.Reports, long)
	delete(none.Trends, long)
	m.Update(stateMsg{st: &none})
	trends, gauges = m.trends.View(), m.gauges.View()
	if !strings.Contains(trends, "no trend over 90d") || !strings.Contains(gauges, "computes no KPIs over 90d") {
		t.Fatalf("a window the engine does not compute:\n%s\n%s", trends, gauges)
	}
}
