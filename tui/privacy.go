package tui

import (
	"fmt"
	"sync"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/privacy"
	"github.com/cxtop/cxtop/store/deliver"
	"github.com/cxtop/cxtop/store/engine"
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
// messages name customers). Sessions with the same masker (every viewer
// of one serve) share the masked text.
func (e *env) maskText(s string) string {
	if e.mask == nil {
		return s
	}
	return maskedText.get(fmt.Sprintf("%p\x00", e.mask)+s, func() string { return e.mask.AlertMessage(s) })
}

var maskedText = &frameCache{m: map[string]string{}, max: 4096}

// maskHead is the engine state's head of the queue as the session may see
// it: masked once per state for every session with the same masker.
func (e *env) maskHead(st *engine.State) []*model.Ticket {
	if e.mask == nil {
		return st.Queue
	}
	key := headKey{st, e.mask}
	if e.share != nil { // the group's cache draws it once, the others waiting
		return shared(e, st.Gen, key, func() []*model.Ticket { return e.maskTickets(st.Queue) })
	}
	heads.mu.Lock()
	h, ok := heads.m[key]
	heads.mu.Unlock()
	if ok {
		return h
	}
	h = e.maskTickets(st.Queue)
	heads.mu.Lock()
	if len(heads.m) >= 8 {
		heads.m = map[headKey][]*model.Ticket{}
	}
	heads.m[key] = h
	heads.mu.Unlock()
	return h
}

type headKey struct {
	st   *engine.State
	mask *privacy.Masker
}

var heads = struct {
	mu sync.Mutex
	m  map[headKey][]*model.Ticket
}{m: map[headKey][]*model.Ticket{}}

// masked reports whether the session hides personal data.
func (e *env) masked() bool { return e.mask != nil }
