package tui

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/cxtop/cxtop/store/engine"
)

// TestRandomKeysAndResizesNeverBreakTheConsole presses random keys — every
// binding, prompt text, esc and enter — and resizes the terminal at random
// between them, in a lead session. The program must not panic, and the
// frame it ends on must fit the terminal's last size.
func TestRandomKeysAndResizesNeverBreakTheConsole(t *testing.T) {
	keys := []string{"j", "k", "enter", "esc", "tab", "shift+tab", "1", "2", "3", "4", "/", "f", "v",
		"s", "a", "p", "y", "n", "e", "x", "r", "t", "?", "backspace", "c", "=", " "}
	sizes := [][2]int{{40, 10}, {60, 15}, {80, 24}, {99, 30}, {100, 30}, {159, 40}, {160, 40}, {220, 70}}
	rng := rand.New(rand.NewPCG(7, 8))
	m := newModel(t, testStore(t), engine.RoleLead, DefaultConfig())
	p := &probe{Model: m}
	tm := teatest.NewTestModel(t, p, teatest.WithInitialTermSize(120, 40))
	last := [2]int{120, 40}
	for i := 0; i < 1500; i++ {
		if rng.IntN(25) == 0 {
			last = sizes[rng.IntN(len(sizes))]
			tm.Send(tea.WindowSizeMsg{Width: last[0], Height: last[1]})
			continue
		}
		tm.Send(keyMsg(keys[rng.IntN(len(keys))]))
	}
	tm.Send(keyMsg("esc"))
	tm.Send(keyMsg("esc"))
	s := &session{t: t, tm: tm, p: p}
	f := s.waitFor("")
	tm.Quit()
	tm.WaitFinished(t, teatest.WithFinalTimeout(30*time.Second))
	m.Close()
	lines := strings.Split(f, "\n")
	if last[0] >= MinWidth && last[1] >= MinHeight && len(lines) != last[1] {
		t.Fatalf("the last frame has %d lines for a terminal %d high:\n%s", len(lines), last[1], f)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > last[0] {
			t.Fatalf("line %d is %d cells wide for a terminal %d wide:\n%s", i, w, last[0], f)
		}
	}
}
