package alert

import (
	"fmt"
	"strings"
	"time"

	"github.com/cxtop/cxtop/model"
)

// Prefixes of the ids the automations derive from the record that
// triggered them, so every replica derives the same id and a record seen
// twice (a re-sync, a restart) finds its ticket already there.
const (
	FollowUpPrefix   = "fu-"  // + NPS answer id: the detractor's follow-up ticket
	EscalationPrefix = "esc-" // + chatbot answer id: the human ticket of a bad chatbot conversation
)

// FollowUpOf returns the id of the NPS answer a follow-up ticket follows up.
func FollowUpOf(ticketID string) (feedbackID string, ok bool) {
	return strings.CutPrefix(ticketID, FollowUpPrefix)
}

// Contacted reports whether a follow-up ticket's customer has been
// contacted: an agent answered it (its first response) or closed it. This is
// what "follow-up contact" means to the detractor rule.
func Contacted(t *model.Ticket) bool { return !t.FirstResponseAt.IsZero() || !t.Open() }

// TicketKey is the dedupe key of rule r's alert about ticket t, "" when
// the rule does not raise alerts from tickets (a KPI rule, the chatbot
// rule, a follow-up rule on a ticket that is no follow-up).
func TicketKey(r Rule, t *model.Ticket) string {
	switch r.KPI {
	case TicketAgeDays:
		return r.ID + "/" + t.ID
	case FollowUpWaitHours:
		if f, ok := FollowUpOf(t.ID); ok {
			return r.ID + "/" + f
		}
	}
	return ""
}

// EvaluateTicket returns rule r's alert about ticket t: a ticket open too
// long, a follow-up that waited too long for a contact; for the chatbot
// rule, whose alert names the human ticket, only the resolution (the
// ticket is done). prev is the stored alert under the same key.
func EvaluateTicket(r Rule, t *model.Ticket, prev *Alert, now time.Time) (next *Alert, changed bool) {
	active := prev != nil && prev.Active()
	var late bool
	var x float64
	var msg string
	switch r.KPI {
	case TicketAgeDays:
		x = now.Sub(t.CreatedAt).Hours() / 24
		late = t.Open() && breached(r, x, 0)
		if active {
			late = t.Open() && breached(r, x, r.Hysteresis)
		}
		msg = fmt.Sprintf("ticket %s has been open %.0f days (limit %g)", t.ID, x, r.Threshold)
	case FollowUpWaitHours:
		f, ok := FollowUpOf(t.ID)
		if !ok {
			return prev, false
		}
		// The follow-up ticket is created at the answer's time.
		x = now.Sub(t.CreatedAt).Hours()
		late = !Contacted(t) && breached(r, x, 0)
		if active {
			late = !Contacted(t) && breached(r, x, r.Hysteresis)
		}
		msg = fmt.Sprintf("detractor %s (customer %s) has had no follow-up contact for %.0fh (limit %gh): ticket %s", f, t.CustomerID, x, r.Threshold, t.ID)
	case BotStars:
		late = active && t.Open() // never fires from a ticket
	default:
		return prev, false
	}
	switch {
	case late && !active:
		return &Alert{Key: TicketKey(r, t), Rule: r.ID, Severity: r.Severity, State: Firing, TicketID: t.ID,
			Value: x, Message: msg, FiredAt: now, UpdatedAt: now}, true
	case !late && active:
		n := *prev
		n.State, n.ResolvedAt, n.UpdatedAt = Resolved, now, now
		return &n, true
	}
	return prev, false
}

// EvaluateFeedback returns the chatbot rule's alert about one answer: it
// fires when a conversation no older than the rule's window is rated below
// the threshold. humanTicket is the ticket it was escalated to; the alert
// resolves when that ticket is done (EvaluateTicket).
func EvaluateFeedback(r Rule, f *model.Feedback, humanTicket string, prev *Alert, now time.Time) (next *Alert, changed bool) {
	if r.KPI != BotStars || f.Survey != model.SurveyBot || (prev != nil && prev.Active()) {
		return prev, false
	}
	if prev != nil || (r.Window > 0 && now.Sub(f.At) > r.Window) || !breached(r, float64(f.Score), 0) {
		return prev, false // a resolved one stays resolved: an answer is rated once
	}
	who := f.CustomerID
	if who == "" {
		who = "a customer"
	}
	msg := fmt.Sprintf("chatbot conversation %s rated %d★ by %s (limit %g★)", f.ID, f.Score, who, r.Threshold)
	if humanTicket != "" {
		msg += ": escalated to ticket " + humanTicket
	}
	return &Alert{Key: r.ID + "/" + f.ID, Rule: r.ID, Severity: r.Severity, State: Firing, TicketID: humanTicket,
		Value: float64(f.Score), Message: msg, FiredAt: now, UpdatedAt: now}, true
}

// SourceFeedback is the id of the customer answer an automation's ticket
// was made for (an escalation's chatbot rating, a follow-up's NPS answer).
func SourceFeedback(ticketID string) (feedbackID string, ok bool) {
	if id, ok := strings.CutPrefix(ticketID, EscalationPrefix); ok {
		return id, true
	}
	return FollowUpOf(ticketID)
}
