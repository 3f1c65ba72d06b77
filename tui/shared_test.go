package tui

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unsafe"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
)

// TestSharedSessionsDrawWhatTheirOwnWould drives sessions of one group
// (Options.Shared) and, beside each, a session that draws everything
// itself, with the same keys, sizes, clock and engine states; every frame
// of a shared session must equal its twin's. The two shared sessions get
// different keys, so a drawing taken from the group that another cursor,
// focus, size or window made would show.
func TestSharedSessionsDrawWhatTheirOwnWould(t *testing.T) {
	st := testStore(t)
	eng := testEngine(t, st, engine.Options{Coalesce: time.Millisecond})
	sub := eng.Subscribe()
	defer sub.Cancel()
	group := NewShared()
	// The clock moves by whole seconds (a shared session pins it to the
	// second): past minute boundaries of the ages and SLA countdowns.
	clock := testNow
	now := func() time.Time { return clock }
	session := func(share *Shared) *Model {
		m, err := New(Options{Engine: eng, Config: DefaultConfig(), Role: engine.RoleViewer, Theme: "dark",
			Renderer: asciiRenderer(), Now: now, Shared: share})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	type twin struct{ shared, own *Model }
	twins := []twin{{session(group), session(nil)}, {session(group), session(nil)}}
	send := func(tw twin, msg tea.Msg) {
		tw.shared.Update(msg)
		tw.own.Update(msg)
	}
	check := func(step string) {
		t.Helper()
		for i, tw := range twins {
			if got, want := tw.shared.View(), tw.own.View(); got != want {
				t.Fatalf("%s: shared session %d draws\n%s\nwhere its own drawing is\n%s", step, i, got, want)
			}
		}
	}
	// The first state, as the engine computed it at start.
	state := <-sub.C
	for _, tw := range twins {
		send(tw, tea.WindowSizeMsg{Width: 160, Height: 45})
		send(tw, stateMsg{st: state})
	}
	check("first state")

	keys := []string{"j", "k", "down", "up", "pgdown", "pgup", "tab", "shift+tab", "1", "2", "3", "4", "r", "w", "?", "esc"}
	sizes := [][2]int{{160, 45}, {120, 40}, {100, 30}, {80, 24}, {200, 60}}
	rng := rand.New(rand.NewPCG(3, 14))
	for step := 0; step < 400; step++ {
		switch rng.IntN(12) {
		case 0: // a new ticket: the queue, KPIs and trends move
			clock = clock.Add(time.Duration(1+rng.IntN(90)) * time.Second)
			at := clock.Add(-time.Duration(rng.IntN(48)) * time.Hour)
			if _, err := st.Write([]model.Record{{Ticket: &model.Ticket{ID: fmt.Sprintf("TS%05d", step), Subject: "shared " + fmt.Sprint(step),
				Status: model.StatusNew, Type: "complaint", SubType: "late_delivery", Source: "email", Priority: model.PriorityUrgent,
				Escalated: step%2 == 0, CreatedAt: at, UpdatedAt: at, SLADueAt: at.Add(time.Duration(rng.IntN(30)) * time.Hour), Version: 1}}}); err != nil {
				t.Fatal(err)
			}
			state = nextData(t, sub.C, state)
			for _, tw := range twins {
				send(tw, stateMsg{st: state})
			}
		case 1: // an alert fires: the feed moves and flashes
			clock = clock.Add(time.Second)
			key := fmt.Sprintf("shared_%d", step)
			if _, err := st.Update(func(w *store.Writer) error {
				return w.PutAlert(alert.Alert{Key: key, Rule: "csat_drop", Severity: alert.Warning, State: alert.Firing,
					Message: "test alert " + key, FiredAt: clock, UpdatedAt: clock})
			}); err != nil {
				t.Fatal(err)
			}
			state = nextData(t, sub.C, state)
			for _, tw := range twins {
				send(tw, stateMsg{st: state})
			}
		case 2: // the clock alone
			clock = clock.Add(time.Duration(1+rng.IntN(120)) * time.Second)
			for _, tw := range twins {
				send(tw, flashEndMsg{})
			}
		case 3:
			s := sizes[rng.IntN(len(sizes))]
			send(twins[rng.IntN(len(twins))], tea.WindowSizeMsg{Width: s[0], Height: s[1]})
		default:
			for _, tw := range twins {
				send(tw, keyOf(t, keys[rng.IntN(len(keys))]))
			}
		}
		check(fmt.Sprintf("step %d", step))
	}
	if n := len(group.cur) + len(group.prev); n == 0 {
		t.Fatal("the group shared no drawing")
	}
	// The group's sessions did take drawings from each other: two
	// sessions at one size and place draw the same pane once.
	a, b := session(group), session(group)
	for _, m := range []*Model{a, b} {
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		m.Update(stateMsg{st: state})
	}
	if qa, qb := a.queue.View(), b.queue.View(); qa != qb || !sameString(qa, qb) {
		t.Fatal("two sessions of a group at one size and place drew the queue twice")
	}
	if !strings.Contains(a.View(), "Queue: ") {
		t.Fatalf("no queue drawn:\n%s", a.View())
	}
}

// nextData waits for the engine's first state after prev whose data
// moved.
func nextData(t *testing.T, c <-chan *engine.State, prev *engine.State) *engine.State {
	t.Helper()
	for st := range c {
		if st.DataGen != prev.DataGen {
			return st
		}
	}
	t.Fatal("the engine's states ended")
	return nil
}

// sameString reports whether a and b are one string in memory: drawn
// once, handed to both.
func sameString(a, b string) bool { return unsafe.StringData(a) == unsafe.StringData(b) }
