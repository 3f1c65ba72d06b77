package tui

import (
	"fmt"
	"sort"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store/deliver"
	"github.com/cxtop/cxtop/store/engine"
)

// openTicketMsg asks the root to show one ticket's detail.
type openTicketMsg struct{ id string }

// detailData is one ticket with what the detail view shows beside it.
type detailData struct {
	ticket   *model.Ticket
	feedback []*model.Feedback // about this ticket (surveys, the chatbot rating)
	customer []*model.Feedback // the customer's other answers
	pending  int               // triage actions waiting in the outbox
	contacts []deliver.Request // follow-ups, surveys, notices about this ticket
	synced   bool              // the store has pulled from a remote at least once
	err      error
}

// maxCustomerFeedback bounds the customer's other answers shown.
const maxCustomerFeedback = 10

func fetchDetail(st engine.Reader, id string) detailData {
	t, err := st.Ticket(id)
	if err != nil {
		return detailData{err: err}
	}
	d := detailData{ticket: t}
	if d.feedback, d.err = st.FeedbackForTicket(id); d.err != nil {
		return d
	}
	// An automation's ticket (esc-F…, fu-F…) shows the answer that made it:
	// the chatbot rating or NPS score names no ticket itself.
	if fid, ok := alert.SourceFeedback(id); ok {
		recs, err := st.Records(model.RecordFeedback, []string{fid})
		if err != nil {
			return detailData{err: err}
		}
		for _, r := range recs {
			d.feedback = append([]*model.Feedback{r.Feedback}, d.feedback...)
		}
	}
	if d.synced, d.err = st.EverSynced(); d.err != nil {
		return d
	}
	if t.CustomerID != "" {
		recs, err := st.CustomerRecords(t.CustomerID)
		if err != nil {
			return detailData{err: err}
		}
		for _, r := range recs {
			if f := r.Feedback; f != nil && f.TicketID != id {
				d.customer = append(d.customer, f)
			}
		}
		sort.Slice(d.customer, func(i, j int) bool { return d.customer[i].At.After(d.customer[j].At) })
		d.customer = d.customer[:min(len(d.customer), maxCustomerFeedback)]
	}
	pending, err := engine.PendingTickets(st)
	if err != nil {
		return detailData{err: err}
	}
	d.pending = pending[id]
	if d.contacts, err = deliver.ForTicket(st, id); err != nil {
		return detailData{err: err}
	}
	return d
}

// detailPane shows one ticket: fields, sync state, history, its feedback
// (including a chatbot conversation's rating) and the customer's other
// answers. It scrolls.
type detailPane struct {
	env  *env
	w, h int
	d    detailData
	list list // the scroll over the text
	view string
}

func newDetailPane(e *env) *detailPane { return &detailPane{env: e, list: list{reading: true}} }

func (p *detailPane) SetSize(w, h int) { p.w, p.h = w, h; p.render() }
func (p *detailPane) SetFocus(bool)    {}

func (p *detailPane) KeyMap() []key.Binding {
	k := p.env.keys
	return append([]key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Back}, k.triage()...)
}

func (p *detailPane) ticket() *model.Ticket { return p.d.ticket }

// replace shows a newer version of the ticket on view.
func (p *detailPane) replace(t *model.Ticket) {
	if p.d.ticket != nil && p.d.ticket.ID == t.ID {
		p.d.ticket = t
		p.d.pending++
		p.render()
	}
}

func (p *detailPane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case detailData:
		if msg.err != nil {
			return p, reportErr("ticket", msg.err)
		}
		msg = p.env.maskDetail(msg)
		if p.d.ticket == nil || msg.ticket.ID != p.d.ticket.ID {
			p.list.top = 0
		}
		p.d = msg
	case tea.KeyMsg:
		if !p.list.scrollKey(msg, p.env.keys) {
			return p, nil
		}
	case themeMsg:
	default:
		return p, nil
	}
	p.render()
	return p, nil
}

func (p *detailPane) render() {
	t := p.d.ticket
	if t == nil || p.w <= 0 || p.h <= 0 {
		p.view = ""
		return
	}
	lines := p.lines(p.w - 4)
	p.list.setRows(p.h - 3)
	p.list.setLen(len(lines))
	from, _ := p.list.visible()
	p.view = p.env.frame("Ticket "+model.Sanitize(t.ID)+"   (esc back, j/k scroll)", lines[from:], p.w, p.h, true)
}

func (p *detailPane) syncState() string {
	t := p.d.ticket
	switch {
	case p.d.pending > 0:
		return fmt.Sprintf("↑ pending: %d change(s) waiting for sync", p.d.pending)
	case len(t.History) > 0 && t.History[len(t.History)-1].Field == "conflict":
		return "✗ conflict: the remote refused the last change (see history)"
	case !p.d.synced && !p.env.syncing:
		return "never synced: this store has no remote (local only)"
	}
	return "✓ synced"
}

func (p *detailPane) lines(w int) []string {
	t := p.d.ticket
	th := p.env.th
	now := p.env.now()
	field := func(k, v string) string { return fit(th.Header.Render(fit(k, 12))+" "+model.Sanitize(v), w) }
	escalated := ""
	if t.Escalated {
		escalated = "  (! escalated)"
	}
	lines := []string{
		model.Sanitize(t.Subject), "",
		field("status", t.Status+escalated),
		field("type", t.Type+" / "+t.SubType),
		field("priority", t.Priority+"   SLA "+slaCell(t, now)),
		field("source", t.Source+"   touchpoint "+t.Touchpoint),
		field("owner", t.Department+" / "+t.Assignee),
		field("customer", t.CustomerID+" ("+t.Segment+")"),
		field("created", model.FormatTime(t.CreatedAt)),
		field("sync", p.syncState()+fmt.Sprintf("   version %d", t.Version)),
	}
	if t.Description != "" {
		lines = append(lines, "", fit(model.Sanitize(t.Description), w))
	}
	lines = append(lines, "", th.Header.Render("history"))
	lines = append(lines, historyLines(t.History, w)...)
	lines = append(lines, "", th.Header.Render("feedback on this ticket"))
	lines = append(lines, feedbackLines(p.d.feedback, w)...)
	lines = append(lines, "", th.Header.Render("the customer's other answers (newest first)"))
	lines = append(lines, feedbackLines(p.d.customer, w)...)
	if len(p.d.contacts) > 0 {
		lines = append(lines, "", th.Header.Render("contact requests"))
		lines = append(lines, contactLines(p.d.contacts, w)...)
	}
	return lines
}

// maxHistoryName bounds the "by" column of the history: a longer name is
// cut, the columns stay aligned.
const maxHistoryName = 20

// historyLines are a ticket's changes in aligned columns: time, who (as
// wide as the longest name, "Nguyen Thi Lan" as well as "automation"),
// field, change.
func historyLines(history []model.Change, w int) []string {
	byW, fieldW := 6, 6
	for _, c := range history {
		byW = max(byW, min(ansi.StringWidth(model.Sanitize(c.By)), maxHistoryName))
		fieldW = max(fieldW, min(ansi.StringWidth(model.Sanitize(c.Field)), maxHistoryName))
	}
	lines := make([]string, 0, len(history))
	for _, c := range history {
		change := model.Sanitize(c.Old) + " → " + model.Sanitize(c.New)
		if c.Field == "note" {
			change = model.Sanitize(c.New)
		}
		lines = append(lines, fit("  "+c.At.UTC().Format("Jan 02 15:04")+"  "+fit(model.Sanitize(c.By), byW)+" "+
			fit(model.Sanitize(c.Field), fieldW)+" "+change, w))
	}
	return lines
}

// contactLines shows each contact request about the ticket with its
// delivery status (docs/contacts.md).
func contactLines(cs []deliver.Request, w int) []string {
	var lines []string
	for _, c := range cs {
		status := c.Status
		if c.Attempts > 1 {
			status += fmt.Sprintf(" (%d tries)", c.Attempts)
		}
		lines = append(lines, fit(fmt.Sprintf("  %s  %-17s %-8s %-20s %s", c.At.UTC().Format("Jan 02 15:04"), c.Purpose, c.Channel,
			status, model.Sanitize(c.Reason)), w))
	}
	return lines
}

func feedbackLines(fb []*model.Feedback, w int) []string {
	if len(fb) == 0 {
		return []string{"  none"}
	}
	var lines []string
	for _, f := range fb {
		what := f.Survey
		if f.Survey == model.SurveyBot {
			what = "chatbot"
		}
		lines = append(lines, fit(fmt.Sprintf("  %s  %-8s %2d  %-12s %s", f.At.UTC().Format("Jan 02 15:04"), what, f.Score,
			model.Sanitize(f.Touchpoint), model.Sanitize(f.Comment)), w))
	}
	return lines
}

func (p *detailPane) View() string { return p.view }
