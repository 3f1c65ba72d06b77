package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/cxtop/cxtop/model"
)

// TestStampMovesOnlyWithTheData: a reload that changes nothing on screen
// keeps the status bar's "updated" time, so an idle console's frame stays
// the same and nothing is written to its terminal; a reload after a write
// moves it.
func TestStampMovesOnlyWithTheData(t *testing.T) {
	st := testStore(t)
	clock := testNow.Add(30 * time.Second) // clear of the SLA countdowns' minute and hour boundaries
	m, err := New(Options{Store: st, Config: DefaultConfig(), Role: RoleViewer, Theme: "dark", Renderer: asciiRenderer(),
		Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
	m.Update(m.refresh()())
	first := m.View()
	if !strings.Contains(first, "updated 12:00:30") {
		t.Fatalf("no stamp after the first load:\n%s", first)
	}
	clock = clock.Add(5 * time.Second)
	m.Update(m.refresh()())
	if got := m.View(); got != first {
		a, b := strings.Split(first, "\n"), strings.Split(got, "\n")
		for i := range a {
			if i < len(b) && a[i] != b[i] {
				t.Errorf("line %d:\n%s\n%s", i, a[i], b[i])
			}
		}
		t.Fatal("an idle reload changed the frame")
	}
	at := testNow.Add(-time.Hour)
	if _, err := st.Write([]model.Record{{Ticket: &model.Ticket{ID: "TNEW", Subject: "New one", Status: model.StatusNew,
		Type: "complaint", SubType: "late_delivery", Source: "email", Priority: model.PriorityUrgent,
		CreatedAt: at, UpdatedAt: at, SLADueAt: at.Add(time.Hour), Version: 1}}}); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(5 * time.Second)
	m.Update(m.refresh()())
	if !strings.Contains(m.View(), "updated 12:00:40") {
		t.Fatalf("the stamp did not move with the data:\n%s", m.View())
	}
}
