package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
	"github.com/cxtop/cxtop/theme"
)

// updateKey handles a key: the prompt first when one is open, then the
// overlays (help, detail), then the global keys, then the focused pane.
func (m *Model) updateKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if m.prompt.active() {
		return m.updatePrompt(msg)
	}
	k := m.keys
	switch {
	case key.Matches(msg, k.Quit):
		return m, tea.Quit
	case m.help:
		if key.Matches(msg, k.Help, k.Back) {
			m.help = false
		}
		return m, nil
	case key.Matches(msg, k.Help):
		m.help = true
	case key.Matches(msg, k.Back):
		return m, m.back()
	case key.Matches(msg, k.NextPane):
		m.showDetail = false
		m.setFocus((m.focus + 1) % numPanes)
	case key.Matches(msg, k.PrevPane):
		m.showDetail = false
		m.setFocus((m.focus + numPanes - 1) % numPanes)
	case key.Matches(msg, k.Pane1, k.Pane2, k.Pane3, k.Pane4):
		for i, b := range []key.Binding{k.Pane1, k.Pane2, k.Pane3, k.Pane4} {
			if key.Matches(msg, b) {
				m.showDetail = false
				m.setFocus(PaneID(i))
			}
		}
	case key.Matches(msg, k.Search):
		m.prompt.open(promptSearch, "/", m.queue.query, "id, subject or customer; enter searches, esc cancels", "")
		return m, m.prompt.input.Focus()
	case key.Matches(msg, k.Filter):
		m.prompt.open(promptFilter, "filter: ", m.queue.filterText, strings.Join(filterKeys, "= ")+"=; empty clears", "")
		return m, m.prompt.input.Focus()
	case key.Matches(msg, k.View):
		return m, m.nextView()
	case key.Matches(msg, k.Theme):
		if th, err := theme.New(theme.Next(m.th.Name), m.opt.Renderer); err == nil {
			m.th = th
			m.message = "theme " + th.Name
			m.detail.Update(themeMsg{})
			return m, m.broadcast(themeMsg{})
		}
	case key.Matches(msg, k.Refresh):
		// The engine's state is live; what this session reads itself (a
		// search, a page past the state's head, the detail) is read again.
		cmds := []tea.Cmd{m.queue.reload()}
		if m.showDetail && m.detail.ticket() != nil {
			cmds = append(cmds, m.openDetail(m.detail.ticket().ID))
		}
		return m, tea.Batch(cmds...)
	case key.Matches(msg, k.Range):
		cmd := m.trends.nextRange()
		m.message = "trends over " + ShortDuration(m.trends.span())
		return m, cmd
	case key.Matches(msg, k.Window):
		return m, m.switchWindow()
	case key.Matches(msg, k.Ack):
		return m, m.ack()
	case key.Matches(msg, k.Status, k.Priority, k.Escalate, k.Assign, k.Type, k.Note):
		return m, m.triageKey(msg)
	case m.showDetail:
		_, cmd := m.detail.Update(msg)
		return m, cmd
	default:
		var cmd tea.Cmd
		m.panes[m.focus], cmd = m.panes[m.focus].Update(msg)
		return m, cmd
	}
	return m, nil
}

// back closes what is open, innermost first: the detail, then the search
// and filter.
func (m *Model) back() tea.Cmd {
	switch {
	case m.showDetail:
		m.showDetail = false
	case m.queue.query != "":
		return m.queue.setQuery("")
	case m.queue.windowed():
		m.view = -1
		return m.queue.setFilter(store.TicketFilter{}, "", "")
	}
	return nil
}

// nextView applies the next saved view of the config, then none.
func (m *Model) nextView() tea.Cmd {
	if len(m.views) == 0 {
		m.message = "no saved views: add [[console.views]] with name and filter to the config"
		return nil
	}
	m.view++
	if m.view >= len(m.views) {
		m.view = -1
		m.message = "all open tickets"
		return m.queue.setFilter(store.TicketFilter{}, "", "")
	}
	v := m.views[m.view]
	m.message = "view " + v.name
	m.setFocus(PaneQueue)
	return m.queue.setFilter(v.filter, v.text, v.name)
}

// target is the ticket triage keys act on: the open detail, else the
// queue's selection.
func (m *Model) target() *model.Ticket {
	if m.showDetail {
		return m.detail.ticket()
	}
	return m.queue.selected()
}

// triageKey starts one triage action. A session that may not write is
// told at once rather than shown a prompt it cannot use; the gate refuses
// the write in any case.
func (m *Model) triageKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	t := m.target()
	if t == nil {
		m.message = "no ticket selected"
		return nil
	}
	if m.gate.Role() != engine.RoleLead {
		m.message = "read-only: triage needs a lead session"
		return nil
	}
	tax := &m.opt.Config.Taxonomy
	switch {
	case key.Matches(msg, k.Status):
		next := cycle(tax.Statuses, t.Status)
		return m.triage(t, "status "+next, model.ActionStatus, func(a *model.Action) { a.Status = next })
	case key.Matches(msg, k.Priority):
		next := cycle(tax.Priorities, t.Priority)
		return m.triage(t, "priority "+next, model.ActionPriority, func(a *model.Action) { a.Priority = next })
	case key.Matches(msg, k.Escalate):
		return m.triage(t, "escalate", model.ActionEscalate, nil)
	case key.Matches(msg, k.Assign):
		depts := m.opt.Config.departments()
		m.prompt.openChoice(promptAssign, "assign "+t.ID+": ", t.Department+"/"+t.Assignee,
			"department[/assignee], tab completes: "+strings.Join(depts, ", "), t.ID, assignSuggestions(depts, m.queue.tickets))
	case key.Matches(msg, k.Type):
		m.prompt.open(promptType, "type "+t.ID+": ", t.Type+"/"+t.SubType, strings.Join(tax.TypeNames(), ", "), t.ID)
	case key.Matches(msg, k.Note):
		m.prompt.open(promptNote, "note on "+t.ID+": ", "", "enter saves, esc cancels", t.ID)
	}
	return m.prompt.input.Focus()
}

// cycle is the value after cur in values (the first when cur is not one).
func cycle(values []string, cur string) string {
	for i, s := range values {
		if s == cur {
			return values[(i+1)%len(values)]
		}
	}
	return values[0]
}

// triage sends one action through the gate, in a command: the write is a
// store transaction and must not block Update.
func (m *Model) triage(t *model.Ticket, what, kind string, fill func(*model.Action)) tea.Cmd {
	gate := m.gate
	return func() tea.Msg {
		n, err := gate.Apply(t, kind, fill)
		return actionMsg{what: what, t: n, err: err}
	}
}

// ack acknowledges the alerts pane's selected alert.
func (m *Model) ack() tea.Cmd {
	a := m.alerts.selected()
	if a == nil {
		m.message = "no alert selected: the alerts pane (4) lists them"
		return nil
	}
	gate, k := m.gate, a.Key
	return func() tea.Msg {
		acked, err := gate.Ack(k)
		return ackMsg{a: acked, err: err}
	}
}

// updatePrompt edits the open prompt; enter submits it, esc cancels.
func (m *Model) updatePrompt(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch msg.Type {
	case tea.KeyEsc:
		m.prompt.close()
		return m, nil
	case tea.KeyEnter:
		p := m.prompt
		m.prompt.close()
		return m, m.submit(p, strings.TrimSpace(p.input.Value()))
	}
	var cmd tea.Cmd
	*m.prompt.input, cmd = m.prompt.input.Update(msg)
	return m, cmd
}

// submit acts on a prompt's value.
func (m *Model) submit(p prompt, value string) tea.Cmd {
	switch p.kind {
	case promptSearch:
		m.setFocus(PaneQueue)
		return m.queue.setQuery(value)
	case promptFilter:
		f, err := ParseFilter(value)
		if err != nil {
			m.message = err.Error()
			return nil
		}
		m.view = -1
		m.setFocus(PaneQueue)
		return m.queue.setFilter(f, value, "")
	}
	t := m.target()
	if t == nil || t.ID != p.ticket {
		m.message = "the ticket moved away while typing: nothing saved"
		return nil
	}
	switch p.kind {
	case promptAssign:
		dept, assignee, err := parseAssign(value, m.opt.Config.departments())
		if err != nil {
			m.message = err.Error()
			return nil
		}
		return m.triage(t, fmt.Sprintf("assign %s/%s", dept, assignee), model.ActionAssign,
			func(a *model.Action) { a.Department, a.Assignee = dept, assignee })
	case promptType:
		typ, sub, _ := strings.Cut(value, "/")
		typ, sub = strings.TrimSpace(typ), strings.TrimSpace(sub)
		return m.triage(t, "type "+value, model.ActionType, func(a *model.Action) { a.Type, a.SubType = typ, sub })
	case promptNote:
		return m.triage(t, "note", model.ActionNote, func(a *model.Action) { a.Note = value })
	}
	return nil
}
