package tui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
	"github.com/cxtop/cxtop/theme"
)

// Options configure a console session.
type Options struct {
	Store    *store.Store
	Config   model.Config
	Role     Role
	Theme    string // "" picks dark or light from the terminal
	User     string // who triage actions are recorded as
	Renderer *lipgloss.Renderer
	Now      func() time.Time
	// Sync, when set, describes the sync state in one short line.
	Sync func() string
	// Window is the span of the gauges (default 24h).
	Window time.Duration
}

// Model is the root of the console.
type Model struct {
	opt   Options
	th    theme.Theme
	keys  KeyMap
	gate  *Gate
	sub   *store.Subscription
	width int
	hgt   int

	tickets []*model.Ticket
	total   int
	offset  int // index of tickets[0] in the queue
	cursor  int // index in the queue
	rows    int // queue rows that fit
	report  kpi.Report
	series  map[string][]*float64
	alerts  int
	loaded  bool

	searching bool
	search    textinput.Model
	query     string // active search, "" for the queue

	detail   *model.Ticket
	feedback []*model.Feedback
	tab      int // pane shown in tab mode: 0 queue, 1 gauges
	help     bool
	message  string
	updated  time.Time
	loading  bool
	dirty    bool // a change arrived while loading
}

// New builds the console's root model.
func New(opt Options) (*Model, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Window == 0 {
		opt.Window = 24 * time.Hour
	}
	if opt.Renderer == nil {
		opt.Renderer = lipgloss.DefaultRenderer()
	}
	if opt.Theme == "" {
		opt.Theme = theme.Default(opt.Renderer)
	}
	th, err := theme.New(opt.Theme, opt.Renderer)
	if err != nil {
		return nil, err
	}
	if opt.User == "" {
		opt.User = string(opt.Role)
	}
	ti := textinput.New()
	ti.Prompt = "/"
	ti.CharLimit = 100
	m := &Model{opt: opt, th: th, keys: DefaultKeys(), search: ti,
		gate: &Gate{Role: opt.Role, Store: opt.Store, Taxonomy: opt.Config.Taxonomy, User: opt.User, Now: opt.Now}}
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
	queueMsg struct {
		tickets []*model.Ticket
		total   int
		offset  int
		err     error
	}
	kpiMsg struct {
		report kpi.Report
		series map[string][]*float64
		alerts int // active alerts
		err    error
	}
	detailMsg struct {
		ticket   *model.Ticket
		feedback []*model.Feedback
		err      error
	}
	changeMsg struct{}
	tickMsg   struct{}
	actionMsg struct {
		what string
		t    *model.Ticket
		err  error
	}
)

// Init starts the first loads, the change subscription and the clock.
func (m *Model) Init() tea.Cmd {
	if m.opt.Store != nil {
		m.sub = m.opt.Store.Subscribe()
	}
	m.loading = true
	return tea.Batch(m.loadQueue(), m.loadKPIs(), m.waitChange(), tick())
}

func tick() tea.Cmd {
	return tea.Tick(5*time.Second, func(time.Time) tea.Msg { return tickMsg{} })
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
		sub.Take()
		return changeMsg{}
	}
}

// searchLimit bounds how many queue rows a search looks through.
const searchLimit = 20000

func (m *Model) loadQueue() tea.Cmd {
	st, offset, rows, query := m.opt.Store, m.offset, max(m.rows, 1), strings.ToLower(m.query)
	return func() tea.Msg {
		if query != "" {
			all, err := st.Tickets(store.TicketQuery{Limit: searchLimit})
			var hits []*model.Ticket
			for _, t := range all {
				if strings.Contains(strings.ToLower(t.ID+" "+t.Subject+" "+t.CustomerID), query) {
					hits = append(hits, t)
				}
			}
			return queueMsg{tickets: hits, total: len(hits), offset: 0, err: err}
		}
		total, err := st.OpenTickets()
		if err != nil {
			return queueMsg{err: err}
		}
		page, err := st.Tickets(store.TicketQuery{Offset: offset, Limit: rows})
		return queueMsg{tickets: page, total: total, offset: offset, err: err}
	}
}

func (m *Model) loadKPIs() tea.Cmd {
	st, now, window, lead := m.opt.Store, m.opt.Now(), m.opt.Window, m.opt.Role == RoleLead
	return func() tea.Msg {
		// A lead session evaluates the alert rules; viewers read what
		// was stored.
		if lead && !st.ReadOnly() {
			if _, err := engine.Evaluate(st, alert.DefaultRules(), now); err != nil {
				return kpiMsg{err: err}
			}
		}
		active, err := st.Alerts(false)
		if err != nil {
			return kpiMsg{err: err}
		}
		w, err := kpi.NewWindow(now, window)
		if err != nil {
			return kpiMsg{err: err}
		}
		var rep kpi.Report
		var series map[string][]*float64
		err = st.ViewRollups(func(r *store.Rollups) error {
			rep = kpi.Compute(r, w, kpi.Defs(), nil)
			series = kpi.Series(r, w, sparkPoints, kpi.Defs())
			return nil
		})
		return kpiMsg{report: rep, series: series, alerts: len(active), err: err}
	}
}

func (m *Model) loadDetail(id string) tea.Cmd {
	st := m.opt.Store
	return func() tea.Msg {
		t, err := st.Ticket(id)
		if err != nil {
			return detailMsg{err: err}
		}
		fb, err := st.FeedbackForTicket(id)
		return detailMsg{ticket: t, feedback: fb, err: err}
	}
}

// Update routes messages; it never blocks on the store.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.hgt = msg.Width, msg.Height
		_, q, _ := Layout(m.width, m.hgt)
		rows := max(q.H-3, 1) // title, header, border
		if rows != m.rows {
			m.rows = rows
			return m, m.loadQueue()
		}
		return m, nil
	case queueMsg:
		m.loading = false
		if msg.err != nil {
			m.message = "error: " + msg.err.Error()
		} else {
			m.tickets, m.total, m.offset, m.loaded = msg.tickets, msg.total, msg.offset, true
			m.cursor = min(m.cursor, max(m.total-1, 0))
			m.updated = m.opt.Now()
		}
		if m.dirty {
			m.dirty = false
			m.loading = true
			return m, tea.Batch(m.loadQueue(), m.loadKPIs())
		}
		return m, nil
	case kpiMsg:
		if msg.err != nil {
			m.message = "error: " + msg.err.Error()
		} else {
			m.report, m.series, m.alerts = msg.report, msg.series, msg.alerts
		}
		return m, nil
	case detailMsg:
		if msg.err != nil {
			m.message = "error: " + msg.err.Error()
			return m, nil
		}
		m.detail, m.feedback = msg.ticket, msg.feedback
		return m, nil
	case changeMsg:
		cmds := []tea.Cmd{m.waitChange()}
		if m.loading {
			m.dirty = true
		} else {
			m.loading = true
			cmds = append(cmds, m.loadQueue(), m.loadKPIs())
		}
		if m.detail != nil {
			cmds = append(cmds, m.loadDetail(m.detail.ID))
		}
		return m, tea.Batch(cmds...)
	case tickMsg:
		return m, tea.Batch(tick(), m.loadKPIs())
	case actionMsg:
		switch {
		case errors.Is(msg.err, ErrReadOnly):
			m.message = "read-only: " + msg.what + " needs a lead session"
		case msg.err != nil:
			m.message = msg.what + " failed: " + Sanitize(msg.err.Error())
		default:
			m.message = fmt.Sprintf("%s %s: saved, pending sync", msg.t.ID, msg.what)
		}
		return m, nil
	case tea.KeyMsg:
		return m.updateKey(msg)
	}
	return m, nil
}

func (m *Model) selected() *model.Ticket {
	if m.detail != nil {
		return m.detail
	}
	i := m.cursor - m.offset
	if i < 0 || i >= len(m.tickets) {
		return nil
	}
	return m.tickets[i]
}

func (m *Model) updateKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if m.searching {
		switch msg.String() {
		case "enter":
			m.searching = false
			m.query = strings.TrimSpace(m.search.Value())
			m.cursor, m.offset = 0, 0
			return m, m.loadQueue()
		case "esc":
			m.searching = false
			return m, nil
		}
		var cmd tea.Cmd
		m.search, cmd = m.search.Update(msg)
		return m, cmd
	}
	k := m.keys
	switch {
	case key.Matches(msg, k.Quit):
		return m, tea.Quit
	case key.Matches(msg, k.Help):
		m.help = !m.help
	case key.Matches(msg, k.Back):
		switch {
		case m.help:
			m.help = false
		case m.detail != nil:
			m.detail = nil
		case m.query != "":
			m.query, m.cursor, m.offset = "", 0, 0
			m.search.SetValue("")
			return m, m.loadQueue()
		}
	case key.Matches(msg, k.Down):
		return m, m.move(1)
	case key.Matches(msg, k.Up):
		return m, m.move(-1)
	case key.Matches(msg, k.PageDown):
		return m, m.move(m.rows)
	case key.Matches(msg, k.PageUp):
		return m, m.move(-m.rows)
	case key.Matches(msg, k.Open):
		if t := m.selected(); t != nil && m.detail == nil {
			return m, m.loadDetail(t.ID)
		}
	case key.Matches(msg, k.Search):
		m.searching = true
		m.search.Focus()
		return m, textinput.Blink
	case key.Matches(msg, k.Tab):
		switch msg.String() {
		case "1":
			m.tab = 0
		case "2":
			m.tab = 1
		default:
			m.tab = 1 - m.tab
		}
	case key.Matches(msg, k.Theme):
		if th, err := theme.New(theme.Next(m.th.Name), m.opt.Renderer); err == nil {
			m.th = th
			m.message = "theme " + th.Name
		}
	case key.Matches(msg, k.Refresh):
		return m, tea.Batch(m.loadQueue(), m.loadKPIs())
	case key.Matches(msg, k.Escalate):
		return m, m.triage("escalate", model.ActionEscalate, nil)
	case key.Matches(msg, k.Status):
		t := m.selected()
		if t == nil {
			return m, nil
		}
		next := nextStatus(m.opt.Config.Taxonomy.Statuses, t.Status)
		return m, m.triage("status "+next, model.ActionStatus, func(a *model.Action) { a.Status = next })
	}
	return m, nil
}

func nextStatus(statuses []string, cur string) string {
	for i, s := range statuses {
		if s == cur {
			return statuses[(i+1)%len(statuses)]
		}
	}
	return statuses[0]
}

// triage sends one action through the gate, in a command: the write is a
// store transaction and must not block Update.
func (m *Model) triage(what, kind string, fill func(*model.Action)) tea.Cmd {
	t := m.selected()
	if t == nil {
		return nil
	}
	if m.gate.Role != RoleLead {
		m.message = "read-only: " + what + " needs a lead session"
		return nil
	}
	gate := m.gate
	return func() tea.Msg {
		n, err := gate.Apply(t, kind, fill)
		return actionMsg{what: what, t: n, err: err}
	}
}

// move moves the cursor and loads the page it lands on when needed.
func (m *Model) move(delta int) tea.Cmd {
	if m.total == 0 || m.detail != nil {
		return nil
	}
	m.cursor = min(max(m.cursor+delta, 0), m.total-1)
	if m.query != "" {
		return nil // search results are all loaded
	}
	if m.cursor < m.offset || m.cursor >= m.offset+m.rows {
		m.offset = max(m.cursor-m.rows/2, 0)
		return m.loadQueue()
	}
	return nil
}

func (m *Model) storeName() string {
	if m.opt.Store == nil {
		return "no store"
	}
	return filepath.Base(m.opt.Store.Path())
}
