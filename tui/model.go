package tui

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/model/privacy"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
	"github.com/cxtop/cxtop/theme"
)

// Source is what a session has of the engine: the shared live state, a
// read-only view of the store for what the state does not hold, and a
// gate for its role. No method hands out the store: the gate is the only
// way to write. *engine.Engine is one.
type Source interface {
	Subscribe() *engine.Subscription
	Reader() engine.Reader
	Gate(role engine.Role, user string) *engine.Gate
}

// Options configure a console session.
type Options struct {
	Engine   Source
	Config   Config
	Role     engine.Role
	Theme    string // "" picks dark or light from the terminal
	User     string // who triage actions are recorded as
	Renderer *lipgloss.Renderer
	Now      func() time.Time
	// Window is the span of the gauges; 0 (the default) reads each KPI
	// over its own window (kpi.Def.Window), as `cxtop kpi` does. The
	// window key switches it among KPIWindows; the engine's state holds
	// every one of them.
	Window time.Duration
	// Banner, when set, is a line above the panes saying what the console
	// shows: a snapshot, or the store at a past moment (with Now fixed to
	// that moment).
	Banner string
	// Notice is shown in the status bar until the first action's message
	// replaces it (a warning about the store, say).
	Notice string
	// Mask, when set, hides customers' and staff's personal data (names,
	// emails, phone numbers, free text holding them) in everything the
	// session shows. Viewer sessions are masked unless configured not to.
	Mask *privacy.Masker
	// Shared, when set, is the group of sessions this one shares its
	// drawings with (NewShared): sessions of one engine, configuration
	// and masker, the SSH viewers of one server.
	Shared *Shared
	// Bell, when set, rings the terminal bell for an alert instead of the
	// frame carrying it: a renderer of its own (cxtop serve's) writes it,
	// and the frame stays the one the sessions share (a bell in the frame
	// made every session's frame a copy of its own for a tenth of a
	// second). It runs on the program's goroutine, inside Update.
	Bell func()
}

// savedView is a config view with its filter read.
type savedView struct {
	name, text string
	filter     store.TicketFilter
}

// Model is the root of the console: it owns the panes, routes messages to
// them, lays them out and keeps the status bar. It reads the engine's
// shared state; what the state does not hold (queue rows past its head, a
// search, a ticket's detail) it reads in commands through a read-only
// view. It writes only through its gate.
type Model struct {
	// bell rings the terminal bell with the next frame (an alert fired).
	bell   bool
	opt    Options
	env    *env
	th     theme.Theme
	keys   KeyMap
	gate   *engine.Gate
	sub    *engine.Subscription
	width  int
	height int
	frame  Frame

	queue  *queuePane
	gauges *gaugesPane
	trends *trendsPane
	alerts *alertsPane
	detail *detailPane
	panes  [numPanes]Pane

	focus      PaneID
	side       PaneID // the side pane shown in two columns
	showDetail bool
	help       bool
	prompt     prompt
	views      []savedView
	view       int // index in views, -1 for none
	message    string
	status     drawnStatus // the last status bar drawn
	joined     joined      // the last panes joined
	framed     joined      // the last frame: the panes and the status bar

	state    *engine.State // the latest the engine published; nil until the first
	updated  time.Time     // the time of the state that last changed the frame
	syncLine string        // the state's sync part, worded once per state
	states   int           // states taken, for tests and benchmarks
	loading  int           // detail reads under way
}

// New builds the console's root model. A config the console cannot use
// (an unknown key action, a saved view's bad filter) is an error.
func New(opt Options) (*Model, error) {
	if opt.Engine == nil {
		return nil, errors.New("console: no engine")
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Window == 0 {
		opt.Window = opt.Config.Console.StartWindow()
	}
	if opt.Renderer == nil {
		opt.Renderer = lipgloss.DefaultRenderer()
	}
	if opt.Theme == "" {
		opt.Theme = theme.Default(opt.Renderer)
	}
	if opt.Role == "" {
		opt.Role = engine.RoleViewer
	}
	if opt.Config.Taxonomy.Statuses == nil {
		opt.Config.Taxonomy = model.DefaultTaxonomy()
	}
	th, err := theme.New(opt.Theme, opt.Renderer)
	if err != nil {
		return nil, err
	}
	if opt.User == "" {
		opt.User = string(opt.Role)
	}
	m := &Model{opt: opt, th: th, keys: DefaultKeys(), view: -1, side: PaneGauges, message: opt.Notice,
		gate: opt.Engine.Gate(opt.Role, opt.User)}
	if err := m.keys.Rebind(opt.Config.Console.Keys); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	views, err := opt.Config.Console.savedViews()
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	m.views = views
	m.env = &env{rd: opt.Engine.Reader(), cfg: opt.Config, now: opt.Now, th: &m.th, keys: &m.keys,
		profile: fmt.Sprint(opt.Renderer.ColorProfile()), mask: opt.Mask, share: opt.Shared}
	if opt.Shared != nil {
		e := m.env
		e.pin(opt.Now())
		e.now = func() time.Time { return e.pinned }
	}
	m.queue = newQueuePane(m.env)
	m.gauges = newGaugesPane(m.env, opt.Window)
	m.trends = newTrendsPane(m.env)
	m.alerts = newAlertsPane(m.env)
	m.detail = newDetailPane(m.env)
	m.panes = [numPanes]Pane{m.queue, m.gauges, m.trends, m.alerts}
	m.queue.SetFocus(true)
	return m, nil
}

// Actor is who this session's actions are recorded as: Options.User (the
// config's user, the login, the SSH user).
func (m *Model) Actor() string { return m.gate.User() }

// Close releases what the session holds (its subscription to the
// engine); call it once the program has ended. Serving many sessions,
// each one must be closed, or the engine keeps handing states to a
// session nobody watches.
func (m *Model) Close() {
	if m.sub != nil {
		m.sub.Cancel()
		m.sub = nil
	}
}

// Messages from commands.
type (
	// stateMsg is a state the engine published.
	stateMsg    struct{ st *engine.State }
	bellDoneMsg struct{}
	errMsg      struct {
		what string
		err  error
	}
	actionMsg struct {
		what string
		t    *model.Ticket
		err  error
	}
	ackMsg struct {
		a   alert.Alert
		err error
	}
)

// reportErr turns a failed load into a status-bar message.
func reportErr(what string, err error) tea.Cmd {
	return func() tea.Msg { return errMsg{what: what, err: err} }
}

// Init subscribes to the engine's states.
func (m *Model) Init() tea.Cmd {
	m.sub = m.opt.Engine.Subscribe()
	return m.waitState()
}

// waitState turns the next state into a message; it re-arms after each
// one. A session that falls behind finds only the latest waiting.
func (m *Model) waitState() tea.Cmd {
	if m.sub == nil {
		return nil
	}
	c := m.sub.C
	return func() tea.Msg {
		st, ok := <-c
		if !ok {
			return nil
		}
		return stateMsg{st: st}
	}
}

// takeState shows a new state: every pane takes what it needs, and the
// open detail is read again when the data changed.
func (m *Model) takeState(st *engine.State) tea.Cmd {
	prev := m.state
	m.state = st
	m.states++
	m.env.syncing = st.Sync.Live
	m.syncLine = syncLine(st.Sync, st.At)
	if st.Err != nil {
		m.message = "store: " + model.Sanitize(st.Err.Error())
	}
	// The status bar's stamp says when what is shown last changed: a state
	// that changes nothing on screen (the clock's, on a quiet store)
	// leaves the frame as it was, so an idle console writes nothing to its
	// terminal.
	before := m.View()
	cmds := []tea.Cmd{m.waitState(), m.broadcast(stateMsg{st: st})}
	if m.updated.IsZero() || m.View() != before {
		m.updated = st.At
	}
	if m.showDetail && m.detail.ticket() != nil && (prev == nil || prev.DataGen != st.DataGen) {
		cmds = append(cmds, m.openDetail(m.detail.ticket().ID))
	}
	return tea.Batch(cmds...)
}

// openDetail reads one ticket's detail through the read-only view.
func (m *Model) openDetail(id string) tea.Cmd {
	rd := m.env.rd
	m.loading++
	return func() tea.Msg { return fetchDetail(rd, id) }
}

// Update routes messages; it never blocks on the store.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m.env.share != nil {
		m.env.pin(m.opt.Now())
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		rows := m.queue.rows()
		m.layout()
		if m.queue.rows() != rows {
			return m, m.queue.show()
		}
		return m, nil
	case stateMsg:
		return m, m.takeState(msg.st)
	case queueData, breakdownData, selectKPIMsg:
		if sel, ok := msg.(selectKPIMsg); ok && sel.focus {
			m.setFocus(PaneTrends)
		}
		return m, m.broadcast(msg)
	case detailData:
		m.loading = max(m.loading-1, 0)
		_, cmd := m.detail.Update(msg)
		if msg.err == nil {
			m.showDetail = true
		}
		return m, cmd
	case openTicketMsg:
		return m, m.openDetail(msg.id)
	case errMsg:
		m.message = msg.what + ": " + model.Sanitize(msg.err.Error())
		return m, nil
	case bellMsg:
		if m.opt.Bell != nil {
			m.opt.Bell()
			return m, nil
		}
		m.bell = true
		return m, tea.Tick(100*time.Millisecond, func(time.Time) tea.Msg { return bellDoneMsg{} })
	case bellDoneMsg:
		m.bell = false
		return m, nil
	case flashEndMsg:
		return m, m.broadcast(msg)
	case actionMsg:
		switch {
		case errors.Is(msg.err, engine.ErrReadOnly):
			m.message = "read-only: " + msg.what + " needs a lead session"
		case msg.err != nil:
			m.message = msg.what + " failed: " + model.Sanitize(msg.err.Error())
		default:
			m.message = fmt.Sprintf("%s %s: saved, pending sync", msg.t.ID, msg.what)
			// The next key on this ticket builds on this version, even
			// before the engine's next state shows it.
			m.queue.replace(msg.t)
			m.detail.replace(msg.t)
		}
		return m, nil
	case ackMsg:
		switch {
		case errors.Is(msg.err, engine.ErrReadOnly):
			m.message = "read-only: acknowledging needs a lead session"
		case msg.err != nil:
			m.message = "acknowledge failed: " + model.Sanitize(msg.err.Error())
		default:
			m.message = "acknowledged " + msg.a.Key
		}
		return m, nil
	case tea.KeyMsg:
		return m.updateKey(msg)
	}
	if m.prompt.active() { // the cursor's blink
		var cmd tea.Cmd
		*m.prompt.input, cmd = m.prompt.input.Update(msg)
		return m, cmd
	}
	return m, nil
}

// settled reports whether no load is under way, the engine's state holds
// every window and its rules have run once (when it runs them): what is on
// screen is what the store holds (tests wait for it before comparing
// frames).
func (m *Model) settled() bool {
	st := m.state
	return st != nil && st.Complete() && (!st.Rules || !st.Evaluated.IsZero()) && m.loading == 0 && m.queue.shown == m.queue.gen && m.trends.loaded == m.trends.gen
}

// broadcast hands a data message to every pane.
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for i, p := range m.panes {
		var cmd tea.Cmd
		m.panes[i], cmd = p.Update(msg)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// layout places the panes for the terminal size and the focus.
func (m *Model) layout() {
	show := m.focus
	if show == PaneQueue {
		show = m.side
	}
	if mode := Layout(m.width, m.height-m.bannerLines(), PaneQueue).Mode; mode == ModeTabs {
		show = m.focus
	}
	h := m.height - m.bannerLines()
	m.frame = Layout(m.width, h, show)
	for id, p := range m.panes {
		r := m.frame.Panes[id]
		p.SetSize(r.W, r.H)
	}
	m.detail.SetSize(m.width, max(h-1, 0))
}

// setFocus gives a pane the focus (and, in two columns, the side).
func (m *Model) setFocus(id PaneID) {
	m.panes[m.focus].SetFocus(false)
	m.focus = id
	if id != PaneQueue {
		m.side = id
	}
	m.panes[id].SetFocus(true)
	m.layout()
}

func (m *Model) storeName() string { return filepath.Base(m.env.rd.Path()) }
