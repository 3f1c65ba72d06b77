package tui

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
)

// probe wraps the console so a test can read the frame the program last
// drew (under a lock: the program runs on its own goroutine).
type probe struct {
	*Model
	mu      sync.Mutex
	last    string
	settled bool
}

func (p *probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := p.Model.Update(msg)
	v, settled := p.Model.View(), p.Model.settled()
	p.mu.Lock()
	p.last, p.settled = v, settled
	p.mu.Unlock()
	return p, cmd
}

// frame is the last frame drawn and whether every load had arrived.
func (p *probe) frame() (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last, p.settled
}

// session is a console program driven by teatest on a test store, with a
// fixed clock and the Ascii colour profile.
type session struct {
	t  *testing.T
	tm *teatest.TestModel
	p  *probe
	st *store.Store
}

func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return r
}

// testEngine starts an engine on st with the test clock. It runs neither
// the rules nor the automations (their tests are in store/engine; here
// they would make tickets and alerts of their own at times of their
// own): a writable store is evaluated once first, as the engine's first
// round leaves it.
func testEngine(t testing.TB, st *store.Store, opt engine.Options) *engine.Engine {
	t.Helper()
	opt.Now = func() time.Time { return testNow }
	opt.NoRules = true
	if !st.ReadOnly() && !opt.ReadOnly {
		if _, err := engine.Evaluate(st, alert.DefaultRules(), testNow); err != nil {
			t.Fatal(err)
		}
	}
	eng := engine.New(st, opt)
	eng.Start(context.Background())
	t.Cleanup(func() { eng.Close() })
	return eng
}

func newModel(t testing.TB, st *store.Store, role engine.Role, cfg Config) *Model {
	t.Helper()
	// Viewers and snapshots watch an engine that does not write, as
	// serve without a remote and --read-only do.
	return newModelOn(t, testEngine(t, st, engine.Options{Taxonomy: cfg.Taxonomy, ReadOnly: role != engine.RoleLead}), role, cfg)
}

func newModelOn(t testing.TB, eng *engine.Engine, role engine.Role, cfg Config) *Model {
	t.Helper()
	m, err := New(Options{Engine: eng, Config: cfg, Role: role, Theme: "dark", Renderer: asciiRenderer(),
		Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func startSession(t *testing.T, st *store.Store, role engine.Role, w, h int) *session {
	t.Helper()
	m := newModel(t, st, role, DefaultConfig())
	p := &probe{Model: m}
	tm := teatest.NewTestModel(t, p, teatest.WithInitialTermSize(w, h))
	t.Cleanup(func() {
		tm.Quit()
		tm.WaitFinished(t, teatest.WithFinalTimeout(30*time.Second))
		m.Close()
	})
	return &session{t: t, tm: tm, p: p, st: st}
}

func keyMsg(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// press sends keys one by one.
func (s *session) press(keys ...string) {
	for _, k := range keys {
		s.tm.Send(keyMsg(k))
	}
}

// typeText types text into an open prompt.
func (s *session) typeText(text string) {
	for _, r := range text {
		s.tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// waitFor waits until the console has no load under way and its frame
// holds every one of want, and returns the frame.
func (s *session) waitFor(want ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		f, ok := s.p.frame()
		for _, w := range want {
			ok = ok && strings.Contains(f, w)
		}
		if ok {
			return f
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the console never showed %q; last frame:\n%s", want, f)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestGoldenViews drives the console through each pane, the detail and the
// help at three sizes and compares each frame with its golden file
// (testdata/TestGoldenViews/*.golden; go test ./tui -update rewrites them).
func TestGoldenViews(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 60}} {
		w, h := size[0], size[1]
		s := startSession(t, testStore(t), engine.RoleLead, w, h)
		snap := func(name string, want ...string) {
			f := s.waitFor(want...)
			t.Run(fmt.Sprintf("%s-%dx%d", name, w, h), func(t *testing.T) { golden.RequireEqual(t, []byte(f)) })
		}
		snap("queue", "Queue: 5 open", "3 alerts")
		s.press("j")
		snap("queue-moved", "▸   T00000004") // the cursor on the second row
		s.press("2")
		snap("gauges", "▶ 2 KPIs")
		s.press("j", "j", "enter")
		snap("trends", "▶ 3 Trend: NPS, 24h (r")
		s.press("r")
		snap("trends-7d", "Trend: NPS, 7d (r")
		s.press("4")
		snap("alerts", "▶ 4 Alerts: 3 active", "ticket T00000005")
		s.press("1", "enter")
		snap("detail", "Ticket T0000000", "chatbot")
		s.press("esc", "?")
		snap("help", "Help", "in the queue pane")
		s.press("esc")
		s.waitFor("▶ 1 Queue")
	}
}

func TestGoldenEmptyAndTooSmall(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 60}} {
		w, h := size[0], size[1]
		st, err := store.Open(t.TempDir()+"/empty.db", store.Options{Create: true, NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		s := startSession(t, st, engine.RoleLead, w, h)
		f := s.waitFor("No open tickets here yet")
		t.Run(fmt.Sprintf("empty-%dx%d", w, h), func(t *testing.T) { golden.RequireEqual(t, []byte(f)) })
	}
	s := startSession(t, testStore(t), engine.RoleLead, 59, 14)
	f := s.waitFor("too small")
	t.Run("too-small", func(t *testing.T) { golden.RequireEqual(t, []byte(f)) })
}

func TestViewNeverPrintsRemoteEscapes(t *testing.T) {
	s := startSession(t, testStore(t), engine.RoleLead, 120, 40)
	f := s.waitFor("Refund")
	if strings.Contains(f, "\x1b") || !strings.Contains(f, "Refund missing") {
		t.Fatalf("the escape sequence in a subject reached the view or the subject vanished:\n%s", f)
	}
}

func TestSearchAndFilterNarrowTheQueue(t *testing.T) {
	s := startSession(t, testStore(t), engine.RoleLead, 120, 40)
	s.waitFor("Queue: 5 open")
	s.press("/")
	s.typeText("crash")
	s.press("enter")
	f := s.waitFor(`search "crash": 1 tickets`, "App crashes")
	if strings.Contains(f, "Order #1 late") {
		t.Fatalf("search did not narrow the queue:\n%s", f)
	}
	s.press("esc")
	s.waitFor("Queue: 5 open")

	s.press("f")
	s.typeText("type=return_exchange")
	s.press("enter")
	f = s.waitFor("Filter type=return_exchange: 1 tickets", "Exchange never arrived")
	if strings.Contains(f, "App crashes") {
		t.Fatalf("filter did not narrow the queue:\n%s", f)
	}
	s.press("f")
	for range len("type=return_exchange") {
		s.press("backspace")
	}
	s.typeText("colour=red")
	s.press("enter")
	s.waitFor(`filter field "colour" is not known`)
	s.press("esc")
	s.waitFor("Queue: 5 open")
}

func TestSavedViewsAndRebindFromConfig(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Console.Keys = map[string][]string{"escalate": {"E"}}
	cfg.Console.Views = []SavedView{{Name: "email", Filter: "source=email"}}
	m := newModel(t, testStore(t), engine.RoleLead, cfg)
	p := &probe{Model: m}
	tm := teatest.NewTestModel(t, p, teatest.WithInitialTermSize(120, 40))
	s := &session{t: t, tm: tm, p: p}
	t.Cleanup(func() { tm.Quit(); tm.WaitFinished(t); m.Close() })
	s.waitFor("Queue: 5 open")
	s.press("v")
	s.waitFor(`View "email": 1 tickets`, "Exchange never arrived")
	s.press("e") // no longer escalate
	s.press("E")
	s.waitFor("T00000005 escalate: saved, pending sync")

	for _, bad := range []ConsoleConfig{
		{Keys: map[string][]string{"launch": {"L"}}},
		{Keys: map[string][]string{"escalate": {"q"}}},
		{Views: []SavedView{{Name: "x", Filter: "kind=vip"}}},
	} {
		c := DefaultConfig()
		c.Console = bad
		if _, err := New(Options{Engine: m.opt.Engine, Config: c, Theme: "dark", Renderer: asciiRenderer()}); err == nil {
			t.Errorf("console config %+v accepted", bad)
		}
	}
}

func TestReadOnlyKeysSayReadOnly(t *testing.T) {
	for _, role := range []engine.Role{engine.RoleViewer, engine.RoleSnapshot} {
		s := startSession(t, testStore(t), role, 120, 40)
		s.waitFor("Queue: 5 open")
		for _, k := range []string{"e", "s", "p", "a", "y", "n", "x"} {
			s.press(k)
			s.waitFor("read-only")
			s.press("esc")
		}
		s.press("4", "x")
		s.waitFor("read-only: acknowledging needs a lead session")
		if n, _ := s.st.OutboxLen(); n != 0 {
			t.Fatalf("%s: %d writes reached the outbox", role, n)
		}
		if a, _ := s.st.Alerts(false); len(a) == 0 || a[0].State != "firing" {
			t.Fatalf("%s: alerts changed: %+v", role, a)
		}
	}
}

func TestLeadTriage(t *testing.T) {
	s := startSession(t, testStore(t), engine.RoleLead, 120, 40)
	s.waitFor("Queue: 5 open")
	first := "T00000005" // open twelve days: the SLA breached longest ago
	s.press("e")
	s.waitFor(first + " escalate: saved, pending sync")
	s.press("p")
	s.waitFor(first + " priority normal: saved")
	s.press("a")
	s.waitFor("assign " + first)
	for range len("customer_care/") {
		s.press("backspace")
	}
	s.typeText("logistics/minh")
	s.press("enter")
	s.waitFor(first + " assign logistics/minh: saved")
	s.press("n")
	s.typeText("called the customer back")
	s.press("enter")
	s.waitFor(first + " note: saved")
	s.press("y")
	for range len("return_exchange/exchange_request") {
		s.press("backspace")
	}
	s.typeText("complaint/no_such")
	s.press("enter")
	s.waitFor("is not a sub-type of complaint")
	tk, err := s.st.Ticket(first)
	if err != nil {
		t.Fatal(err)
	}
	if !tk.Escalated || tk.Priority != model.PriorityNormal || tk.Department != "logistics" || tk.Assignee != "minh" ||
		tk.History[len(tk.History)-1].New != "called the customer back" {
		t.Fatalf("triage did not reach the store: %+v", tk)
	}
	if n, _ := s.st.OutboxLen(); n != 4 {
		t.Fatalf("outbox holds %d actions, want 4", n)
	}
	s.waitFor("!↑") // the row shows escalated and pending
	s.press("4")
	s.waitFor("▶ 4 Alerts")
	s.press("x")
	s.waitFor("acknowledged ")
}

// TestEmptyQueueWhileSyncingSaysNotYet: a console whose store a sync loop
// is filling does not tell the user to go and sync.
func TestEmptyQueueWhileSyncingSaysNotYet(t *testing.T) {
	st, err := store.Open(t.TempDir()+"/empty.db", store.Options{Create: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, syncing := range []bool{false, true} {
		m := newModel(t, st, engine.RoleViewer, DefaultConfig())
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		state := *m.opt.Engine.(*engine.Engine).State()
		state.Sync.Live = syncing
		m.Update(stateMsg{st: &state})
		v := m.View()
		if got := strings.Contains(v, "the sync is filling this store"); got != syncing || strings.Contains(v, "Fill this store") == syncing {
			t.Fatalf("syncing %v:\n%s", syncing, v)
		}
	}
}
