package tui

import (
	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store/deliver"
)

// Personal data is masked where it enters the console — as a load's
// records arrive, before any pane keeps them — so no pane, search or
// later view can show what the session may not see. Records are masked on
// copies: the store's values are shared.

func (e *env) maskTickets(ts []*model.Ticket) []*model.Ticket {
	if e.mask == nil {
		return ts
	}
	out := make([]*model.Ticket, len(ts))
	for i, t := range ts {
		c := t.Clone()
		e.mask.Ticket(c)
		out[i] = c
	}
	return out
}

func (e *env) maskFeedback(fs []*model.Feedback) []*model.Feedback {
	if e.mask == nil {
		return fs
	}
	out := make([]*model.Feedback, len(fs))
	for i, f := range fs {
		c := *f
		e.mask.Feedback(&c)
		out[i] = &c
	}
	return out
}

// maskDetail masks a ticket's detail: the ticket, its feedback, the
// customer's other answers and the contact requests' addresses.
func (e *env) maskDetail(d detailData) detailData {
	if e.mask == nil || d.ticket == nil {
		return d
	}
	d.ticket = e.maskTickets([]*model.Ticket{d.ticket})[0]
	d.feedback = e.maskFeedback(d.feedback)
	d.customer = e.maskFeedback(d.customer)
	contacts := make([]deliver.Request, len(d.contacts))
	for i, c := range d.contacts {
		c.CustomerID = e.mask.Customer(c.CustomerID)
		contacts[i] = c
	}
	d.contacts = contacts
	return d
}

// maskText masks free text the console shows beside records (alert
// messages name customers).
func (e *env) maskText(s string) string {
	if e.mask == nil {
		return s
	}
	return e.mask.AlertMessage(s)
}

// masked reports whether the session hides personal data.
func (e *env) masked() bool { return e.mask != nil }
