package alert

import (
	"fmt"
	"time"

	"github.com/cxtop/cxtop/model"
)

// By is who the automations' history entries name.
const By = "automation"

// Automations are the closed-loop actions: escalate a badly rated chatbot
// conversation to a human, follow up a detractor, ask for a survey once a
// ticket is done, and route a new ticket without a department. Everything
// they produce is a pure function of the record that triggered it and the
// configuration — ids, times, text — so a hub and its replicas running
// them on the same record produce byte-identical tickets.
type Automations struct {
	Taxonomy model.Taxonomy
	Routes   []model.Route // tried before model.DefaultRoutes
	// Horizon: records older than this (by their own time) trigger
	// nothing, so a store loaded with a long history does not follow up
	// last quarter's detractors today.
	Horizon time.Duration
	// BotBelow escalates chatbot conversations rated below it (the
	// bot_low_rating rule's threshold); FollowUpWithin is the follow-up's
	// due time after the answer (the detractor_no_followup rule's).
	BotBelow       float64
	FollowUpWithin time.Duration
}

// FormReminderWithin is when a form-abandonment reminder is due after
// the abandonment (the playbook's 24 hours).
const FormReminderWithin = 24 * time.Hour

// DefaultHorizon is how old a record may be and still trigger automations.
const DefaultHorizon = 72 * time.Hour

// lateAfter is how long after its record an automation counts as late. A
// prompt one acts at the record's own time, so the hub and its replicas
// make byte-identical tickets; a late one (the automations did not run
// while the store was written, and run now) acts now: an escalation made
// today is not backdated to the rating and born past its SLA.
const lateAfter = 6 * time.Hour

// actedAt is when an automation on a record of time at acts, run at now.
func actedAt(at, now time.Time) (acted time.Time, late bool) {
	if now.Sub(at) > lateAfter {
		return now.UTC(), true
	}
	return at.UTC(), false
}

// Lookup reads a ticket as the store holds it now (inside the write
// transaction, seeing that transaction's own writes).
type Lookup func(id string) (*model.Ticket, bool)

// Effects is what the automations want written for one record, in one
// transaction: tickets to put and contact requests to queue.
type Effects struct {
	Tickets  []*model.Ticket
	Contacts []Contact
	// Escalated is the human ticket a chatbot answer went to ("" when the
	// answer triggered no escalation), for the chatbot rule's alert.
	Escalated string
}

// On returns the effects of one changed record. It changes nothing itself
// and returns nothing for a record whose automation already ran: the
// derived ticket exists, the ticket is already escalated, the survey is
// already in its history.
func (a *Automations) On(r model.Record, get Lookup, now time.Time) Effects {
	var e Effects
	switch {
	case r.Feedback != nil:
		f := r.Feedback
		if !a.recent(f.At, now) {
			return e
		}
		switch {
		case f.Survey == model.SurveyBot && float64(f.Score) < a.BotBelow:
			a.escalate(f, get, &e, now)
		case f.Survey == model.SurveyNPS && model.NPSCategory(f.Score) == "detractor":
			a.followUp(f, get, &e)
		}
	case r.Event != nil:
		ev := r.Event
		if ev.Type == model.EventFormAbandoned && ev.CustomerID != "" && a.recent(ev.At, now) {
			// The playbook's form-abandonment reminder, within 24 hours.
			e.Contacts = append(e.Contacts, Contact{Key: "contact/form/" + ev.ID, Purpose: PurposeFormReminder,
				Channel: ContactChannel(ev.CustomerID), CustomerID: ev.CustomerID, EventID: ev.ID,
				DueAt: ev.At.UTC().Add(FormReminderWithin), At: ev.At.UTC()})
		}
	case r.Ticket != nil:
		t := r.Ticket
		if cur, ok := get(t.ID); ok {
			t = cur // the page may be older than what the store holds
		}
		if t.Open() && t.Department == "" && a.recent(t.CreatedAt, now) {
			n := t.Clone()
			a.route(n, t.CreatedAt)
			a.bump(n, t.CreatedAt)
			e.Tickets = append(e.Tickets, n)
			t = n
		}
		if !t.Open() && a.recent(t.ResolvedAt, now) {
			a.survey(t, &e)
		}
	}
	return e
}

func (a *Automations) recent(at, now time.Time) bool {
	return !at.IsZero() && now.Sub(at) <= a.Horizon
}

// escalate hands a chatbot conversation to a human: the linked ticket is
// escalated (priority high), or a new ticket esc-<answer> is made. It acts
// at the answer's time, or now when it runs late (actedAt).
func (a *Automations) escalate(f *model.Feedback, get Lookup, e *Effects, now time.Time) {
	at, late := actedAt(f.At, now)
	why := fmt.Sprintf("chatbot conversation %s was rated %d★", f.ID, f.Score)
	if late {
		why += " at " + f.At.UTC().Format("2006-01-02 15:04Z")
	}
	if f.TicketID != "" {
		t, ok := get(f.TicketID)
		if !ok {
			return // not here (yet): the ticket's own sync brings its state
		}
		e.Escalated = t.ID
		if t.Escalated || everEscalated(t) {
			return // a person or an earlier run already did: never raise twice
		}
		n := t.Clone()
		n.Escalated = true
		n.History = append(n.History, model.Change{At: at, By: By, Field: "escalated", Old: "false", New: "true"})
		a.raise(n, at)
		n.History = append(n.History, model.Change{At: at, By: By, Field: "note", New: why + ": escalated to a human"})
		a.bump(n, at)
		e.Tickets = append(e.Tickets, n)
		a.notice(f, n.ID, e)
		return
	}
	id := EscalationPrefix + f.ID
	e.Escalated = id
	if _, ok := get(id); ok {
		return
	}
	t := a.newTicket(id, f, a.source(model.SurveyBot, f.Channel), fmt.Sprintf("Chatbot conversation rated %d★", f.Score), at)
	t.SLADueAt = a.Taxonomy.SLADue(t.Priority, t.CreatedAt)
	t.Escalated = true
	t.Tags = []string{"bot_escalation"}
	t.History = append(t.History, model.Change{At: t.CreatedAt, By: By, Field: "escalated", Old: "false", New: "true"})
	if late {
		t.History = append(t.History, model.Change{At: t.CreatedAt, By: By, Field: "note", New: why + ": escalated late, when the automations ran"})
	}
	a.route(t, t.CreatedAt)
	t.Version = uint64(len(t.History))
	e.Tickets = append(e.Tickets, t)
	a.notice(f, id, e)
}

// notice tells the chatbot customer that a person took the conversation over.
func (a *Automations) notice(f *model.Feedback, ticketID string, e *Effects) {
	if f.CustomerID == "" {
		return
	}
	e.Contacts = append(e.Contacts, Contact{Key: "contact/escalation/" + f.ID, Purpose: PurposeEscalation,
		Channel: ContactChannel(f.CustomerID), CustomerID: f.CustomerID, TicketID: ticketID, FeedbackID: f.ID,
		DueAt: f.At.UTC().Add(a.FollowUpWithin), At: f.At.UTC()})
}

// everEscalated reports whether t's history holds an escalation: one that
// was later undone is not the automation's to redo.
func everEscalated(t *model.Ticket) bool {
	for _, h := range t.History {
		if h.Field == "escalated" && h.New == "true" {
			return true
		}
	}
	return false
}

// followUp opens fu-<answer>, due FollowUpWithin after the answer, and asks
// the remote to contact the detractor.
func (a *Automations) followUp(f *model.Feedback, get Lookup, e *Effects) {
	id := FollowUpPrefix + f.ID
	if _, ok := get(id); ok {
		return
	}
	t := a.newTicket(id, f, a.source(model.SurveyNPS, f.Channel), fmt.Sprintf("Follow up: NPS %d", f.Score), f.At)
	t.SLADueAt = t.CreatedAt.Add(a.FollowUpWithin)
	t.Tags = []string{"follow_up"}
	a.route(t, t.CreatedAt)
	t.Version = uint64(len(t.History))
	e.Tickets = append(e.Tickets, t)
	if f.CustomerID != "" {
		e.Contacts = append(e.Contacts, Contact{Key: "contact/" + id, Purpose: PurposeFollowUp, Channel: ContactChannel(f.CustomerID),
			CustomerID: f.CustomerID, TicketID: id, FeedbackID: f.ID, DueAt: t.SLADueAt, At: t.CreatedAt})
	}
}

// survey asks for a post-resolution CSAT answer once per resolution (a
// reopened ticket done again is asked again), recorded in the history.
// Follow-ups are not surveyed: the customer has just been called.
func (a *Automations) survey(t *model.Ticket, e *Effects) {
	if _, ok := FollowUpOf(t.ID); ok || t.CustomerID == "" {
		return
	}
	at := t.ResolvedAt.UTC()
	for _, h := range t.History {
		if h.By == By && h.Field == "survey_request" && h.At.Equal(at) {
			return
		}
	}
	c := Contact{Key: fmt.Sprintf("contact/survey/%s/%d", t.ID, at.Unix()), Purpose: PurposeSurvey,
		Channel: ContactChannel(t.CustomerID), CustomerID: t.CustomerID, TicketID: t.ID, Survey: model.SurveyCSAT, At: at}
	n := t.Clone()
	n.History = append(n.History, model.Change{At: at, By: By, Field: "survey_request", New: model.SurveyCSAT + " by " + c.Channel})
	a.bump(n, at)
	e.Tickets = append(e.Tickets, n)
	e.Contacts = append(e.Contacts, c)
}

// newTicket is the common part of a ticket made for a customer's answer,
// created at at (the answer's time, unless the automation ran late).
func (a *Automations) newTicket(id string, f *model.Feedback, source, subject string, at time.Time) *model.Ticket {
	at = at.UTC()
	t := &model.Ticket{ID: id, System: "cxtop", ExternalID: f.ID, Subject: subject, Description: f.Comment,
		Status: model.StatusNew, Type: a.ticketType(), Source: source, Priority: a.high(),
		CustomerID: f.CustomerID, Segment: f.Segment, Touchpoint: f.Touchpoint,
		CreatedAt: at, UpdatedAt: at,
		History: []model.Change{{At: at, By: By, Field: "status", New: model.StatusNew}}}
	return t
}

// route gives t its department, recorded in its history.
func (a *Automations) route(t *model.Ticket, at time.Time) {
	d := model.RouteTicket(a.Routes, t)
	t.History = append(t.History, model.Change{At: at.UTC(), By: By, Field: "department", Old: t.Department, New: d})
	t.Department = d
}

// raise sets priority high when the ticket is less urgent. The SLA
// tightens to the high priority's, counted from the ticket's creation but
// never to before the escalation: raising a day-old ticket's priority
// must not make it overdue on the spot.
func (a *Automations) raise(t *model.Ticket, at time.Time) {
	high := a.high()
	if a.Taxonomy.PriorityRank(t.Priority) <= a.Taxonomy.PriorityRank(high) {
		return
	}
	t.History = append(t.History, model.Change{At: at.UTC(), By: By, Field: "priority", Old: t.Priority, New: high})
	t.Priority = high
	due := a.Taxonomy.SLADue(high, t.CreatedAt)
	if due.IsZero() {
		return
	}
	if due.Before(at) {
		due = a.Taxonomy.SLADue(high, at)
	}
	if t.SLADueAt.IsZero() || due.Before(t.SLADueAt) {
		t.SLADueAt = due.UTC()
	}
}

// bump counts one accepted change, as a triage action does.
func (a *Automations) bump(t *model.Ticket, at time.Time) {
	t.Version++
	if at.After(t.UpdatedAt) {
		t.UpdatedAt = at.UTC()
	}
}

// high is the "high" priority, or the most urgent one a taxonomy without it has.
func (a *Automations) high() string {
	if a.Taxonomy.PriorityRank(model.PriorityHigh) < len(a.Taxonomy.Priorities) {
		return model.PriorityHigh
	}
	return a.Taxonomy.Priorities[0]
}

// ticketType: automations open complaints, or the taxonomy's first type.
func (a *Automations) ticketType() string {
	if _, ok := a.Taxonomy.Type("complaint"); ok {
		return "complaint"
	}
	return a.Taxonomy.Types[0].Name
}

// source is where the customer spoke: the chatbot for a chatbot answer,
// the answer's channel otherwise, else email or the first source.
func (a *Automations) source(survey, channel string) string {
	try := []string{channel, "email"}
	if survey == model.SurveyBot {
		try = append([]string{"chatbot"}, try...)
	}
	for _, s := range try {
		if s != "" && a.Taxonomy.HasSource(s) {
			return s
		}
	}
	return a.Taxonomy.Sources[0]
}
