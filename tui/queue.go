package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
)

// searchLimit bounds how many queue rows a search or filter looks through.
const searchLimit = 20000

// queueData is one load of the queue: a page of the urgency index, or
// every match of a search or filter (at most searchLimit).
type queueData struct {
	gen     int // the request it answers; stale answers are dropped
	tickets []*model.Ticket
	total   int
	offset  int
	pending map[string]int // ticket id → triage actions waiting in the outbox
	err     error
}

// queuePane lists open tickets in urgency order. It holds only the rows
// on screen (or a search's matches), read from the store's index.
type queuePane struct {
	env     *env
	w, h    int
	focused bool

	tickets []*model.Ticket
	total   int
	offset  int // index of tickets[0] in the queue
	cursor  int // index in the queue
	top     int // first visible match, for searches and filters
	pending map[string]int
	gen     int
	shown   int // the gen of the rows shown; 0 until the first load

	query      string // active search
	filter     store.TicketFilter
	filterText string // the filter as typed, for the title
	viewName   string // the saved view the filter came from

	view string
}

func newQueuePane(e *env) *queuePane { return &queuePane{env: e} }

// rows is how many tickets fit: the pane less its title, header and border.
func (p *queuePane) rows() int { return max(p.h-4, 1) }

// windowed reports whether all matches are loaded and windowed here rather
// than paged from the store.
func (p *queuePane) windowed() bool { return p.query != "" || p.filter != (store.TicketFilter{}) }

func (p *queuePane) SetSize(w, h int) {
	p.w, p.h = w, h
	p.render()
}

func (p *queuePane) SetFocus(f bool) { p.focused = f; p.render() }

func (p *queuePane) KeyMap() []key.Binding {
	k := p.env.keys
	return append([]key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Open, k.Back}, k.triage()...)
}

// fetch returns the load of the queue as it stands, to run off the UI
// goroutine.
func (p *queuePane) fetch() func() queueData {
	p.gen++
	st, gen, offset, rows, env := p.env.st, p.gen, p.offset, p.rows(), p.env
	query, filter := strings.ToLower(p.query), p.filter
	windowed := p.windowed()
	filter.Now = p.env.now() // breached=yes is as of the console's clock
	return func() queueData {
		d := queueData{gen: gen, offset: offset}
		d.pending, d.err = pendingTickets(st)
		if d.err != nil {
			return d
		}
		if windowed {
			all, err := st.Tickets(store.TicketQuery{Filter: filter, Limit: searchLimit})
			// A masked session searches what it sees, not the hidden values.
			all = env.maskTickets(all)
			for _, t := range all {
				if query == "" || strings.Contains(strings.ToLower(t.ID+" "+t.Subject+" "+t.CustomerID), query) {
					d.tickets = append(d.tickets, t)
				}
			}
			d.total, d.offset, d.err = len(d.tickets), 0, err
			return d
		}
		if d.total, d.err = st.OpenTickets(); d.err != nil {
			return d
		}
		d.tickets, d.err = st.Tickets(store.TicketQuery{Offset: offset, Limit: rows})
		d.tickets = env.maskTickets(d.tickets)
		return d
	}
}

func (p *queuePane) load() tea.Cmd {
	f := p.fetch()
	return func() tea.Msg { return f() }
}

// pendingTickets counts, per ticket, the triage actions the remote has not
// acknowledged yet: the outbox is short (it drains on every sync round).
func pendingTickets(st *store.Store) (map[string]int, error) {
	entries, err := st.Outbox(0)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, e := range entries {
		if id := actionTicket(e); id != "" {
			out[id]++
		}
	}
	return out, nil
}

func (p *queuePane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case queueData:
		if msg.gen != p.gen {
			return p, nil // a newer load is on its way
		}
		if msg.err != nil {
			return p, reportErr("queue", msg.err)
		}
		p.tickets, p.total, p.offset, p.pending, p.shown = msg.tickets, msg.total, msg.offset, msg.pending, msg.gen
		p.cursor = min(p.cursor, max(p.total-1, 0))
		p.top = scrollTo(min(p.top, max(p.total-1, 0)), p.cursor, p.rows())
	case tea.KeyMsg:
		k := p.env.keys
		switch {
		case key.Matches(msg, k.Down):
			return p, p.move(1)
		case key.Matches(msg, k.Up):
			return p, p.move(-1)
		case key.Matches(msg, k.PageDown):
			return p, p.move(p.rows())
		case key.Matches(msg, k.PageUp):
			return p, p.move(-p.rows())
		case key.Matches(msg, k.Open):
			if t := p.selected(); t != nil {
				id := t.ID
				return p, func() tea.Msg { return openTicketMsg{id: id} }
			}
		}
	case themeMsg, clockMsg:
	default:
		return p, nil
	}
	p.render()
	return p, nil
}

// move moves the cursor, loading the page it lands on when needed.
func (p *queuePane) move(delta int) tea.Cmd {
	if p.total == 0 {
		return nil
	}
	p.cursor = min(max(p.cursor+delta, 0), p.total-1)
	defer p.render()
	if p.windowed() {
		p.top = scrollTo(p.top, p.cursor, p.rows())
		return nil
	}
	if p.cursor < p.offset || p.cursor >= p.offset+p.rows() {
		p.offset = max(p.cursor-p.rows()/2, 0)
		return p.load()
	}
	return nil
}

// selected is the ticket under the cursor, nil when there is none.
func (p *queuePane) selected() *model.Ticket {
	i := p.cursor - p.offset
	if i < 0 || i >= len(p.tickets) {
		return nil
	}
	return p.tickets[i]
}

// replace puts a newer version of a ticket in its row, marked pending.
func (p *queuePane) replace(t *model.Ticket) {
	for i, old := range p.tickets {
		if old.ID == t.ID {
			p.tickets[i] = t
			if p.pending == nil {
				p.pending = map[string]int{}
			}
			p.pending[t.ID]++
			p.render()
			return
		}
	}
}

// setQuery and setFilter restart the queue from its top.
func (p *queuePane) setQuery(q string) tea.Cmd {
	p.query, p.cursor, p.offset, p.top = q, 0, 0, 0
	return p.load()
}

func (p *queuePane) setFilter(f store.TicketFilter, text, view string) tea.Cmd {
	p.filter, p.filterText, p.viewName = f, text, view
	p.cursor, p.offset, p.top = 0, 0, 0
	return p.load()
}

func (p *queuePane) title() string {
	var parts []string
	switch {
	case p.viewName != "":
		parts = append(parts, fmt.Sprintf("View %q", p.viewName))
	case p.filterText != "":
		parts = append(parts, "Filter "+p.filterText)
	}
	if p.query != "" {
		parts = append(parts, fmt.Sprintf("search %q", p.query))
	}
	if len(parts) == 0 {
		return fmt.Sprintf("1 Queue: %d open", p.total)
	}
	return fmt.Sprintf("1 %s: %d tickets (esc clears)", strings.Join(parts, ", "), p.total)
}

func (p *queuePane) render() {
	if p.w <= 0 || p.h <= 0 {
		p.view = ""
		return
	}
	p.view = p.env.frame(p.title(), p.lines(p.w-4), p.w, p.h, p.focused)
}

func (p *queuePane) lines(w int) []string {
	now := p.env.now()
	th := p.env.th
	start, visible := p.offset, p.tickets
	if p.windowed() {
		start = p.top
		visible = p.tickets[min(start, len(p.tickets)):]
	}
	visible = visible[:min(len(visible), p.rows())]
	cols := queueColumnsFor(w, visible)
	lines := []string{th.Header.Render(queueRow(cols, w, queueHeader(cols)))}
	if p.shown > 0 && p.total == 0 {
		if p.windowed() {
			return append(lines, "", "  no open ticket matches; esc clears the search and filter")
		}
		if p.env.syncing {
			return append(lines, "", "  No open tickets yet: the sync is filling this store, and the queue",
				"  shows them as they arrive (the status bar counts the records).")
		}
		return append(lines, "", "  No open tickets here yet.", "",
			"  Fill this store with 'cxtop sync --remote URL' (a cxtop hub or Zendesk),",
			"  or try everything at once with 'cxtop demo'.")
	}
	for i, t := range visible {
		line := queueRow(cols, w, queueCells(cols, t, now, p.pending[t.ID] > 0, start+i == p.cursor))
		switch {
		case start+i == p.cursor:
			line = th.Selected.Render(line)
		case !t.SLADueAt.IsZero() && now.After(t.SLADueAt):
			line = th.Breach.Render(line)
		case !t.SLADueAt.IsZero() && t.SLADueAt.Sub(now) < slaSoon:
			line = th.Warn.Render(line)
		}
		lines = append(lines, line)
	}
	return lines
}

func (p *queuePane) View() string { return p.view }
