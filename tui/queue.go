package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
)

// searchLimit bounds how many queue rows a search or filter looks through.
const searchLimit = 20000

// queueData is one read of queue rows the engine's state does not hold:
// a page past the state's head, or every match of a search or filter (at
// most searchLimit).
type queueData struct {
	gen     int // the request it answers; stale answers are dropped
	tickets []*model.Ticket
	total   int
	offset  int
	err     error
}

// queuePane lists open tickets in urgency order. The first rows come from
// the engine's state (its head of the queue, shared by every session);
// rows past it, a search's or a filter's matches are read from the
// store's index in a command, only the rows needed.
type queuePane struct {
	env     *env
	w, h    int
	focused bool
	list    list // the cursor over the whole queue (or the matches)

	state    *engine.State
	tickets  []*model.Ticket // the rows held: the state's head, a page, or the matches
	fromHead bool            // tickets is the state's head (shared: never written)
	total    int
	offset   int // index of tickets[0] in the queue
	pending  map[string]int
	gen      int // the last read asked for
	shown    int // the gen of the rows shown; reads under way while it lags

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
// than taken from the state or paged from the store.
func (p *queuePane) windowed() bool { return p.query != "" || p.filter != (store.TicketFilter{}) }

func (p *queuePane) SetSize(w, h int) {
	p.w, p.h = w, h
	p.list.setRows(p.rows())
	p.render()
}

func (p *queuePane) SetFocus(f bool) { p.focused = f; p.render() }

func (p *queuePane) KeyMap() []key.Binding {
	k := p.env.keys
	return append([]key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Open, k.Back}, k.triage()...)
}

// show puts the visible rows on screen: from the state's head when they
// lie in it, else from the page held, else it reads the page around them.
// reread reads a page again even when it is held (the data changed).
func (p *queuePane) show() tea.Cmd { return p.showRows(false) }

func (p *queuePane) showRows(reread bool) tea.Cmd {
	defer p.render()
	st := p.state
	if p.windowed() || st == nil {
		return nil
	}
	from, _ := p.list.visible()
	to := from + p.rows()
	if to <= len(st.Queue) || len(st.Queue) >= st.Open {
		p.tickets, p.fromHead, p.offset, p.total = p.env.maskHead(st), true, 0, st.Open
		p.shown = p.gen // a page read under way is not needed any more
		p.list.setLen(p.total)
		return nil
	}
	if !reread && !p.fromHead && from >= p.offset && to <= p.offset+len(p.tickets) {
		return nil
	}
	return p.load(max(from-p.rows(), 0), 3*p.rows())
}

// load reads rows in a command: limit rows from offset, or every match
// when windowed.
func (p *queuePane) load(offset, limit int) tea.Cmd {
	p.gen++
	rd, gen, env := p.env.rd, p.gen, p.env
	query, filter := strings.ToLower(p.query), p.filter
	windowed := p.windowed()
	filter.Now = p.env.now() // breached=yes is as of the console's clock
	return func() tea.Msg {
		d := queueData{gen: gen, offset: offset}
		if windowed {
			all, err := rd.Tickets(store.TicketQuery{Filter: filter, Limit: searchLimit})
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
		if d.total, d.err = rd.OpenTickets(); d.err != nil {
			return d
		}
		d.tickets, d.err = rd.Tickets(store.TicketQuery{Offset: offset, Limit: limit})
		d.tickets = env.maskTickets(d.tickets)
		return d
	}
}

// reload reads the matches (windowed) or the page again.
func (p *queuePane) reload() tea.Cmd {
	if p.windowed() {
		return p.load(0, searchLimit)
	}
	return p.showRows(true)
}

func (p *queuePane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case stateMsg:
		prev := p.state
		p.state = msg.st
		p.pending = msg.st.Pending
		moved := prev == nil || prev.DataGen != msg.st.DataGen
		switch {
		case moved && p.windowed():
			p.render()
			return p, p.reload()
		case moved:
			return p, p.showRows(true)
		}
	case queueData:
		if msg.gen != p.gen {
			return p, nil // a newer read is on its way
		}
		p.shown = msg.gen
		if msg.err != nil {
			return p, reportErr("queue", msg.err)
		}
		p.tickets, p.fromHead, p.total, p.offset = msg.tickets, false, msg.total, msg.offset
		p.list.setLen(p.total)
	case tea.KeyMsg:
		k := p.env.keys
		switch {
		case p.list.key(msg, k, true):
			return p, p.show()
		case key.Matches(msg, k.Open):
			if t := p.selected(); t != nil {
				id := t.ID
				return p, func() tea.Msg { return openTicketMsg{id: id} }
			}
		}
	case themeMsg:
	default:
		return p, nil
	}
	p.render()
	return p, nil
}

// selected is the ticket under the cursor, nil when there is none.
func (p *queuePane) selected() *model.Ticket {
	i := p.list.cursor - p.offset
	if i < 0 || i >= len(p.tickets) {
		return nil
	}
	return p.tickets[i]
}

// replace puts a newer version of a ticket in its row, marked pending. The
// rows and marks may be the engine's state, which every session shares:
// they are copied before the change.
func (p *queuePane) replace(t *model.Ticket) {
	for i, old := range p.tickets {
		if old.ID == t.ID {
			p.tickets = append([]*model.Ticket(nil), p.tickets...)
			p.fromHead = false
			p.tickets[i] = t
			pending := make(map[string]int, len(p.pending)+1)
			for id, n := range p.pending {
				pending[id] = n
			}
			pending[t.ID]++
			p.pending = pending
			p.render()
			return
		}
	}
}

// setQuery and setFilter restart the queue from its top.
func (p *queuePane) setQuery(q string) tea.Cmd {
	p.query = q
	return p.restart()
}

func (p *queuePane) setFilter(f store.TicketFilter, text, view string) tea.Cmd {
	p.filter, p.filterText, p.viewName = f, text, view
	return p.restart()
}

func (p *queuePane) restart() tea.Cmd {
	p.list.setCursor(0)
	p.list.top = 0
	p.tickets, p.fromHead, p.offset = nil, false, 0
	return p.reload()
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
	draw := func() string { return p.env.frame(p.title(), p.lines(p.w-4), p.w, p.h, p.focused) }
	// The state's head, unfiltered and as the state marks it, is the same
	// for every session of a group: drawn once for all of them.
	if p.env.share == nil || p.state == nil || !p.fromHead || p.windowed() {
		p.view = draw()
		return
	}
	from, to := p.list.visible()
	p.view = shared(p.env, p.state.Gen, queueKey{look: p.env.look(), w: p.w, h: p.h, focused: p.focused,
		cursor: p.list.cursor, from: from, to: to, total: p.total, loaded: p.shown == p.gen,
		syncing: p.env.syncing, view: p.viewName}, draw)
}

// queueKey is what a drawing of the queue's head depends on besides the
// state.
type queueKey struct {
	look
	w, h, cursor, from, to, total int
	focused, loaded, syncing      bool
	view                          string
}

func (p *queuePane) lines(w int) []string {
	now := p.env.now()
	th := p.env.th
	// The rows on screen, of those held (a page may be on its way).
	from, to := p.list.visible()
	lo, hi := min(max(from-p.offset, 0), len(p.tickets)), min(max(to-p.offset, 0), len(p.tickets))
	start, visible := p.offset+lo, p.tickets[lo:max(lo, hi)]
	cols := queueColumnsFor(w, visible)
	lines := []string{p.env.paint("Header", th.Header, queueRow(cols, w, queueHeader(cols)))}
	if (p.state != nil || p.shown > 0) && p.shown == p.gen && p.total == 0 {
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
		line := queueRow(cols, w, queueCells(cols, t, now, p.pending[t.ID] > 0, start+i == p.list.cursor))
		switch {
		case start+i == p.list.cursor:
			line = p.env.paint("Selected", th.Selected, line)
		case !t.SLADueAt.IsZero() && now.After(t.SLADueAt):
			line = p.env.paint("Breach", th.Breach, line)
		case !t.SLADueAt.IsZero() && t.SLADueAt.Sub(now) < slaSoon:
			line = p.env.paint("Warn", th.Warn, line)
		}
		lines = append(lines, line)
	}
	return lines
}

func (p *queuePane) View() string { return p.view }
