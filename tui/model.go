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
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/model/privacy"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
	"github.com/cxtop/cxtop/theme"
)

// Options configure a console session.
type Options struct {
	Store    *store.Store
	Config   Config
	Role     Role
	Theme    string // "" picks dark or light from the terminal
	User     string // who triage actions are recorded as
	Renderer *lipgloss.Renderer
	Now      func() time.Time
	// Sync, when set, describes the sync state in one short line.
	Sync func() string
	// Syncing says a sync loop fills this store while the console runs,
	// so an empty queue is "not yet", not "nothing here".
	Syncing bool
	// Window is the span of the gauges; 0 (the default) reads each KPI
	// over its own window (kpi.Def.Window), as `cxtop kpi` does. The
	// window key switches it among KPIWindows.
	Window time.Duration
	// Banner, when set, is a line above the panes saying what the console
	// shows: a snapshot, or the store at a past moment (with Now fixed to
	// that moment).
	Banner string
	// KPIs are the KPI definitions with the configured targets (default:
	// kpi.Defs()).
	KPIs []kpi.Def
	// Notice is shown in the status bar until the first action's message
	// replaces it (a warning about the store, say).
	Notice string
	// Rules are the alert rules a lead session evaluates (default: the
	// built-in rules).
	Rules []alert.Rule
	// EvaluateEvery is how often a lead session runs the rules itself
	// (default a minute: the time-based rules move slowly, and a
	// million-ticket store takes ~0.5 s a run). Negative: never, because
	// an alert runner in the same process already does, after every batch.
	EvaluateEvery time.Duration
	// Mask, when set, hides customers' and staff's personal data (names,
	// emails, phone numbers, free text holding them) in everything the
	// session shows. Viewer sessions are masked unless configured not to.
	Mask *privacy.Masker
}

// savedView is a config view with its filter read.
type savedView struct {
	name, text string
	filter     store.TicketFilter
}

// Model is the root of the console: it owns the panes, routes messages to
// them, lays them out and keeps the status bar.
type Model struct {
	opt    Options
	env    *env
	th     theme.Theme
	keys   KeyMap
	gate   *Gate
	sub    *store.Subscription
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
	updated    time.Time
	refreshing bool
	dirty      bool // a change arrived during a refresh
	// alertsStale says the alert list must be read again: at start and
	// after a commit that wrote an alert. Reading every alert costs ~50 ms
	// on a store with thousands, so it runs in its own command, only then,
	// and never delays the other panes.
	alertsStale   bool
	alertsLoading bool
	refreshes     int // refreshes done, for tests and benchmarks
	evaluating    bool
	evaluated     time.Time // when the last evaluation started
}

// New builds the console's root model. A config the console cannot use
// (an unknown key action, a saved view's bad filter) is an error.
func New(opt Options) (*Model, error) {
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
	if len(opt.KPIs) == 0 {
		opt.KPIs = kpi.Defs()
	}
	if opt.EvaluateEvery == 0 {
		opt.EvaluateEvery = time.Minute
	}
	if opt.Rules == nil {
		opt.Rules = alert.DefaultRules()
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
	m := &Model{opt: opt, th: th, keys: DefaultKeys(), view: -1, side: PaneGauges, message: opt.Notice, alertsStale: true,
		gate: &Gate{Role: opt.Role, Store: opt.Store, Taxonomy: opt.Config.Taxonomy, User: opt.User, Now: opt.Now}}
	if err := m.keys.Rebind(opt.Config.Console.Keys); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	views, err := opt.Config.Console.savedViews()
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	m.views = views
	m.env = &env{st: opt.Store, cfg: opt.Config, now: opt.Now, th: &m.th, keys: &m.keys, syncing: opt.Syncing, mask: opt.Mask}
	m.queue = newQueuePane(m.env)
	m.gauges = newGaugesPane(m.env, opt.Window)
	m.trends = newTrendsPane(m.env, opt.KPIs)
	m.alerts = newAlertsPane(m.env)
	m.detail = newDetailPane(m.env)
	m.panes = [numPanes]Pane{m.queue, m.gauges, m.trends, m.alerts}
	m.queue.SetFocus(true)
	return m, nil
}

// Close releases what the session holds (its store subscription); call it
// once the program has ended. Serving many sessions, each one must be
// closed, or the store keeps notifying a session nobody watches.
func (m *Model) Close() {
	if m.sub != nil {
		m.sub.Cancel()
		m.sub = nil
	}
}

// Messages from commands.
type (
	// refreshMsg is one consistent reload of every pane's data.
	refreshMsg struct {
		queue  queueData
		kpi    kpiData
		trends trendsData
		detail *detailData
	}
	evaluatedMsg struct{ err error }
	changeMsg    struct{ alerts bool }
	tickMsg      struct{}
	errMsg       struct {
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

// Init starts the first load, the change subscription and the clock.
func (m *Model) Init() tea.Cmd {
	if m.opt.Store != nil {
		m.sub = m.opt.Store.Subscribe()
	}
	return tea.Batch(m.refresh(), m.loadAlerts(), m.evaluate(), m.waitChange(), tick())
}

// loadAlerts reads the alert list when it is stale and no read is under
// way; the answer reloads again if it went stale meanwhile.
func (m *Model) loadAlerts() tea.Cmd {
	st := m.opt.Store
	if st == nil || !m.alertsStale || m.alertsLoading {
		return nil
	}
	m.alertsStale, m.alertsLoading = false, true
	return func() tea.Msg { return fetchAlerts(st) }
}

// refreshEvery is how often the console reloads without a change: the
// windows and SLA countdowns move with the clock.
const refreshEvery = 5 * time.Second

func tick() tea.Cmd {
	return tea.Tick(refreshEvery, func(time.Time) tea.Msg { return tickMsg{} })
}

// waitChange turns the next store notification into a message; it re-arms
// after each one, and bursts of commits arrive merged.
func (m *Model) waitChange() tea.Cmd {
	if m.sub == nil {
		return nil
	}
	sub := m.sub
	return func() tea.Msg {
		if _, ok := <-sub.C; !ok {
			return nil
		}
		return changeMsg{alerts: sub.Take().Alerts}
	}
}

// evaluate runs the alert rules in a lead session (viewers read what was
// stored), apart from the refresh so the first frame never waits for it: an
// alert that changes is a commit, and the commit's notification refreshes
// the panes.
func (m *Model) evaluate() tea.Cmd {
	st := m.opt.Store
	if st == nil || m.opt.Role != RoleLead || st.ReadOnly() || m.evaluating || m.opt.EvaluateEvery < 0 ||
		!m.evaluated.IsZero() && m.opt.Now().Sub(m.evaluated) < m.opt.EvaluateEvery {
		return nil
	}
	m.evaluating, m.evaluated = true, m.opt.Now()
	now, rules := m.opt.Now(), m.opt.Rules
	return func() tea.Msg {
		_, err := engine.Evaluate(st, rules, now)
		return evaluatedMsg{err: err}
	}
}

// refresh reloads every pane in one command. While one refresh runs,
// changes only mark the model dirty: a burst of commits costs one more
// refresh, not one each.
func (m *Model) refresh() tea.Cmd {
	st := m.opt.Store
	if st == nil {
		return nil
	}
	m.refreshing = true
	queue, trends := m.queue.fetch(), m.trends.fetch()
	now, window, defs := m.opt.Now(), m.opt.Window, m.opt.KPIs
	detailID := ""
	if m.showDetail && m.detail.ticket() != nil {
		detailID = m.detail.ticket().ID
	}
	return func() tea.Msg {
		var r refreshMsg
		r.queue = queue()
		// The gauges and the trends read one consistent view of the
		// rollups, sharing the sums from the start of history.
		err := st.ViewRollups(func(ro *store.Rollups) error {
			src := kpi.WithPrefixSums(ro)
			r.kpi, r.trends = computeKPIs(src, now, window, defs), trends(src)
			return nil
		})
		if err != nil {
			r.kpi.err, r.trends.err = err, err
		}
		if detailID != "" {
			d := fetchDetail(st, detailID)
			r.detail = &d
		}
		return r
	}
}

// Update routes messages; it never blocks on the store.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		rows, points := m.queue.rows(), m.trends.points()
		m.layout()
		var cmds []tea.Cmd
		if m.queue.rows() != rows {
			cmds = append(cmds, m.queue.load())
		}
		if m.trends.points() != points {
			cmds = append(cmds, m.trends.load())
		}
		return m, tea.Batch(cmds...)
	case refreshMsg:
		m.refreshing = false
		// The status bar's stamp says when what is shown last changed: a
		// reload that changes nothing leaves the frame as it was, so an idle
		// console writes nothing to its terminal (it wrote the status line
		// every 5 s: 54 bytes a second, cxtop bench's idle row).
		before := m.View()
		var cmds []tea.Cmd
		// clockMsg: the alerts' ages move on without a reload.
		for _, part := range []tea.Msg{msg.queue, msg.kpi, msg.trends, clockMsg{}} {
			cmds = append(cmds, m.broadcast(part))
		}
		if msg.detail != nil {
			_, cmd := m.detail.Update(*msg.detail)
			cmds = append(cmds, cmd)
		}
		if m.updated.IsZero() || m.View() != before {
			m.updated = m.opt.Now()
		}
		m.refreshes++
		if m.dirty {
			m.dirty = false
			cmds = append(cmds, m.refresh())
		}
		return m, tea.Batch(cmds...)
	case alertsData:
		m.alertsLoading = false
		return m, tea.Batch(m.broadcast(msg), m.loadAlerts())
	case queueData, trendsData, kpiData, selectKPIMsg:
		if sel, ok := msg.(selectKPIMsg); ok && sel.focus {
			m.setFocus(PaneTrends)
		}
		return m, m.broadcast(msg)
	case detailData:
		_, cmd := m.detail.Update(msg)
		if msg.err == nil {
			m.showDetail = true
		}
		return m, cmd
	case openTicketMsg:
		st, id := m.opt.Store, msg.id
		return m, func() tea.Msg { return fetchDetail(st, id) }
	case errMsg:
		m.message = msg.what + ": " + model.Sanitize(msg.err.Error())
		return m, nil
	case changeMsg:
		m.alertsStale = m.alertsStale || msg.alerts
		if m.refreshing {
			m.dirty = true
			return m, tea.Batch(m.waitChange(), m.loadAlerts())
		}
		return m, tea.Batch(m.waitChange(), m.loadAlerts(), m.refresh())
	case tickMsg:
		if m.refreshing {
			return m, tea.Batch(tick(), m.evaluate()) // the refresh under way is as good
		}
		return m, tea.Batch(tick(), m.evaluate(), m.refresh())
	case evaluatedMsg:
		m.evaluating = false
		if msg.err != nil {
			m.message = "alert rules: " + model.Sanitize(msg.err.Error())
		}
		return m, nil
	case actionMsg:
		switch {
		case errors.Is(msg.err, ErrReadOnly):
			m.message = "read-only: " + msg.what + " needs a lead session"
		case msg.err != nil:
			m.message = msg.what + " failed: " + model.Sanitize(msg.err.Error())
		default:
			m.message = fmt.Sprintf("%s %s: saved, pending sync", msg.t.ID, msg.what)
			// The next key on this ticket builds on this version, even
			// before the store's notification reloads the rows.
			m.queue.replace(msg.t)
			m.detail.replace(msg.t)
		}
		return m, nil
	case ackMsg:
		switch {
		case errors.Is(msg.err, ErrReadOnly):
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
		m.prompt.input, cmd = m.prompt.input.Update(msg)
		return m, cmd
	}
	return m, nil
}

// settled reports whether no load is under way: what is on screen is what
// the store holds (tests wait for it before comparing frames).
func (m *Model) settled() bool {
	return !m.refreshing && !m.evaluating && !m.alertsLoading && !m.alertsStale && m.queue.shown == m.queue.gen && m.trends.loaded == m.trends.gen
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

func (m *Model) storeName() string {
	if m.opt.Store == nil {
		return "no store"
	}
	return filepath.Base(m.opt.Store.Path())
}
