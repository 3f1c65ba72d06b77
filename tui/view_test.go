package tui

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/cxtop/cxtop/model"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// newTestModel is a console on the test store with a fixed clock and the
// Ascii colour profile, sized and loaded the way the program would.
func newTestModel(t testing.TB, role Role, w, h int) *Model {
	t.Helper()
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	m, err := New(Options{Store: testStore(t), Config: model.DefaultConfig(), Role: role, Theme: "dark",
		Renderer: r, Now: func() time.Time { return testNow }, Sync: func() string { return "sync off" }})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(m.loadQueue()())
	m.Update(m.loadKPIs()())
	return m
}

func keyMsg(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// press sends keys and runs the commands they return (not the blocking
// subscription or the clock).
func press(m *Model, keys ...string) {
	for _, k := range keys {
		_, cmd := m.Update(keyMsg(k))
		if cmd != nil {
			if msg := cmd(); msg != nil {
				if _, isBatch := msg.(tea.BatchMsg); !isBatch {
					m.Update(msg)
				}
			}
		}
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -update to create it)", err)
	}
	if got != string(want) {
		t.Fatalf("%s differs from %s:\n%s", name, path, got)
	}
}

func TestGoldenViews(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 60}} {
		w, h := size[0], size[1]
		name := func(s string) string { return fmt.Sprintf("%s-%dx%d", s, w, h) }
		m := newTestModel(t, RoleLead, w, h)
		golden(t, name("queue"), m.View())
		press(m, "j")
		golden(t, name("queue-moved"), m.View())
		press(m, "tab")
		golden(t, name("gauges-tab"), m.View())
		press(m, "tab", "enter")
		golden(t, name("detail"), m.View())
		press(m, "esc", "?")
		golden(t, name("help"), m.View())
	}
	small := newTestModel(t, RoleLead, 59, 14)
	golden(t, "too-small", small.View())
}

func TestViewNeverPrintsRemoteEscapes(t *testing.T) {
	m := newTestModel(t, RoleLead, 120, 40)
	if v := m.View(); strings.Contains(v, "\x1b") || !strings.Contains(v, "Refund missing") {
		t.Fatalf("the escape sequence in a subject reached the view or the subject vanished:\n%s", v)
	}
}

func TestEmptyStoreAndSearch(t *testing.T) {
	m := newTestModel(t, RoleLead, 120, 40)
	press(m, "/")
	for _, r := range "crash" {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	press(m, "enter")
	v := m.View()
	if !strings.Contains(v, `Search "crash": 1 tickets`) || !strings.Contains(v, "App crashes") || strings.Contains(v, "Order #1 late") {
		t.Fatalf("search did not narrow the queue:\n%s", v)
	}
	press(m, "esc")
	if v := m.View(); !strings.Contains(v, "Queue: 4 open") {
		t.Fatalf("esc did not clear the search:\n%s", v)
	}
}

func TestReadOnlyKeysSayReadOnly(t *testing.T) {
	for _, role := range []Role{RoleViewer, RoleSnapshot} {
		m := newTestModel(t, role, 120, 40)
		for _, k := range []string{"e", "s"} {
			press(m, k)
			if !strings.Contains(m.View(), "read-only") {
				t.Fatalf("%s pressing %s: no read-only message", role, k)
			}
		}
		if n, _ := m.opt.Store.OutboxLen(); n != 0 {
			t.Fatalf("%s: %d writes reached the outbox", role, n)
		}
	}
	m := newTestModel(t, RoleLead, 120, 40)
	press(m, "e")
	if v := m.View(); !strings.Contains(v, "escalate: saved, pending sync") {
		t.Fatalf("lead escalate: %s", v)
	}
	if tk, _ := m.opt.Store.Ticket(m.tickets[0].ID); !tk.Escalated {
		t.Fatal("lead escalate did not reach the store")
	}
}
