package tui

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store/engine"
)

// TestStampMovesOnlyWithTheData: a state that changes nothing on screen
// (the engine's clock tick on a quiet store) keeps the status bar's
// "updated" time, so an idle console's frame stays the same and nothing is
// written to its terminal; a state after a write moves it.
func TestStampMovesOnlyWithTheData(t *testing.T) {
	st := testStore(t)
	var clock atomic.Int64                                // the engine reads it on its own goroutine
	clock.Store(testNow.Add(30 * time.Second).UnixNano()) // clear of the SLA countdowns' minute and hour boundaries
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	eng := engine.New(st, engine.Options{ReadOnly: true, Now: now, Coalesce: time.Millisecond})
	eng.Start(context.Background())
	defer eng.Close()
	sub := eng.Subscribe()
	defer sub.Cancel()
	m, err := New(Options{Engine: eng, Config: DefaultConfig(), Role: engine.RoleViewer, Theme: "dark", Renderer: asciiRenderer(), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
	state := <-sub.C
	m.Update(stateMsg{st: state})
	first := m.View()
	if !strings.Contains(first, "updated 12:00:30") {
		t.Fatalf("no stamp after the first state:\n%s", first)
	}
	clock.Add(int64(5 * time.Second))
	idle := *state
	idle.Gen, idle.At = state.Gen+1, now()
	m.Update(stateMsg{st: &idle})
	if got := m.View(); got != first {
		a, b := strings.Split(first, "\n"), strings.Split(got, "\n")
		for i := range a {
			if i < len(b) && a[i] != b[i] {
				t.Errorf("line %d:\n%s\n%s", i, a[i], b[i])
			}
		}
		t.Fatal("an idle state changed the frame")
	}
	at := testNow.Add(-time.Hour)
	clock.Add(int64(5 * time.Second))
	if _, err := st.Write([]model.Record{{Ticket: &model.Ticket{ID: "TNEW", Subject: "New one", Status: model.StatusNew,
		Type: "complaint", SubType: "late_delivery", Source: "email", Priority: model.PriorityUrgent,
		CreatedAt: at, UpdatedAt: at, SLADueAt: at.Add(time.Hour), Version: 1}}}); err != nil {
		t.Fatal(err)
	}
	for state = <-sub.C; state.Open != 6; state = <-sub.C {
	}
	m.Update(stateMsg{st: state})
	if !strings.Contains(m.View(), "updated 12:00:40") {
		t.Fatalf("the stamp did not move with the data:\n%s", m.View())
	}
}
