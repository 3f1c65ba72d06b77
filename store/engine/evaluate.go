package engine

import (
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store"
)

// maxOpenScan bounds the open tickets one evaluation looks at.
const maxOpenScan = 100_000

// Evaluate runs every rule as of now — KPI rules and the rules on open
// tickets — and stores the alerts that fired, resolved or changed. It
// returns how many changed. (The chatbot rule fires from the automation
// pass, Automate, which sees each answer once; Evaluate resolves it.)
func Evaluate(st *store.Store, rules []alert.Rule, now time.Time) (int, error) {
	return evaluate(st, rules, nil, now)
}

// EvaluateChange evaluates after a committed batch: only the rules whose
// inputs ch touched, and the ticket rules only on the tickets ch names
// (all open tickets when it names too many to list).
func EvaluateChange(st *store.Store, rules []alert.Rule, ch store.Change, now time.Time) (int, error) {
	var in alert.Inputs
	if len(ch.Tickets) > 0 || ch.More {
		in |= alert.ReadsTickets
	}
	if ch.Feedback > 0 {
		in |= alert.ReadsFeedback
	}
	if ch.Events > 0 {
		in |= alert.ReadsEvents
	}
	var pick []alert.Rule
	for _, r := range rules {
		if r.Reads()&in != 0 {
			pick = append(pick, r)
		}
	}
	if len(pick) == 0 {
		return 0, nil
	}
	ids := ch.Tickets
	if ch.More || ids == nil {
		ids = nil // scan the queue
		if in&alert.ReadsTickets == 0 {
			ids = []string{} // no ticket changed: none to look at
		}
	}
	return evaluate(st, pick, ids, now)
}

// evaluate runs rules; the ticket rules look at the tickets named by ids,
// or at every open ticket when ids is nil.
func evaluate(st *store.Store, rules []alert.Rule, ids []string, now time.Time) (int, error) {
	changes, err := decide(st, rules, ids, now)
	if err != nil {
		return 0, err
	}
	return write(st, changes, now)
}

// decide is evaluate without the write: what the rules decide as of now.
func decide(st *store.Store, rules []alert.Rule, ids []string, now time.Time) ([]change, error) {
	var kpiRules, ticketRules []alert.Rule
	byID := map[string]alert.Rule{}
	for _, r := range rules {
		byID[r.ID] = r
		switch {
		case !r.IsRecordRule():
			kpiRules = append(kpiRules, r)
		case r.KPI != alert.BotStars:
			ticketRules = append(ticketRules, r)
		}
	}
	reports, err := kpiReports(st, kpiRules, now)
	if err != nil {
		return nil, err
	}
	// The active alerts' keys come from the store's index; an alert is
	// decoded only when a decision needs it (prev.get).
	active, err := st.ActiveAlertKeys()
	if err != nil {
		return nil, err
	}
	prev := &storedAlerts{st: st, read: map[string]*alert.Alert{}}
	seen := map[string]bool{}
	var tickets []*model.Ticket
	if len(ticketRules) > 0 {
		if ids == nil && active != nil && aboveOnly(ticketRules) {
			tickets, err = oldOpenTickets(st, ticketRules, active, seen, now)
		} else {
			tickets, err = readTickets(st, ids)
		}
		if err != nil {
			return nil, err
		}
	}
	// Decide first, from what was read; write only when something changed,
	// so an idle console evaluating on a timer does not commit.
	var changes []change
	keep := func(next *alert.Alert, ok bool) {
		if ok && next != nil {
			changes = append(changes, change{next: *next, prev: prev.get(next.Key)})
		}
	}
	for _, rule := range kpiRules {
		keep(alert.EvaluateKPI(rule, reports[rule.ReportKey()], prev.get(rule.ID), now))
	}
	for _, t := range tickets {
		for _, r := range ticketRules {
			if key := alert.TicketKey(r, t); key != "" {
				seen[key] = true
				keep(alert.EvaluateTicket(r, t, prev.get(key), now))
			}
		}
	}
	// Active alerts about tickets not looked at above (a ticket that left
	// the queue, the human ticket of a chatbot alert) are checked on their
	// ticket: when the queue was scanned, or when the batch changed it.
	named := map[string]bool{}
	for _, id := range ids {
		named[id] = true
	}
	stored, err := activeToCheck(st, active, seen, byID, ids != nil, named, prev)
	if err != nil {
		return nil, err
	}
	for _, a := range stored {
		r, ok := byID[a.Rule]
		if a.TicketID == "" || !a.Active() || seen[a.Key] || !ok || (ids != nil && !named[a.TicketID]) {
			continue
		}
		t, err := st.Ticket(a.TicketID)
		if err != nil {
			continue // gone from the store: leave the alert for a person
		}
		keep(alert.EvaluateTicket(r, t, prev.get(a.Key), now))
	}
	if prev.err != nil {
		return nil, prev.err
	}
	return changes, nil
}

func kpiReports(st *store.Store, rules []alert.Rule, now time.Time) (map[string]kpi.Report, error) {
	reports := map[string]kpi.Report{}
	if len(rules) == 0 {
		return reports, nil
	}
	err := st.ViewRollups(func(r *store.Rollups) (err error) {
		reports, err = alert.Reports(r, rules, kpi.Defs(), now)
		return err
	})
	return reports, err
}

// readTickets reads the named tickets (those gone are skipped), or the
// open ones in queue order when ids is nil.
func readTickets(st *store.Store, ids []string) ([]*model.Ticket, error) {
	if ids == nil {
		open, err := st.OpenTickets()
		if err != nil {
			return nil, err
		}
		return st.Tickets(store.TicketQuery{Limit: min(max(open, 1), maxOpenScan)})
	}
	var out []*model.Ticket
	for _, id := range ids {
		if t, err := st.Ticket(id); err == nil {
			out = append(out, t)
		}
	}
	return out, nil
}

// change is a decided alert and the stored one it was decided from.
type change struct {
	next alert.Alert
	prev *alert.Alert
}

// evaluatedEvery is how stale the stored "alerts last evaluated" time may
// grow before an evaluation that changed nothing commits it anyway: a
// viewer sees how current its feed is, and an idle console does not commit
// on every tick.
const evaluatedEvery = 5 * time.Minute

// write stores the decided alerts, and when the rules ran, in one
// transaction. An alert that changed in the store since it was read
// (another evaluator — the console's, a runner's — got there first) is
// left as the other wrote it, so two evaluators never fire the same alert
// twice.
func write(st *store.Store, changes []change, now time.Time) (int, error) {
	if last, ok, err := st.AlertsEvaluated(); err == nil && ok && len(changes) == 0 && now.Sub(last) < evaluatedEvery {
		return 0, nil
	}
	n := 0
	_, err := st.Update(func(w *store.Writer) error {
		n = 0
		for _, c := range changes {
			cur, err := w.Alert(c.next.Key)
			if err != nil {
				return err
			}
			if (cur == nil) != (c.prev == nil) || (cur != nil && !cur.UpdatedAt.Equal(c.prev.UpdatedAt)) {
				continue
			}
			if err := w.PutAlert(c.next); err != nil {
				return err
			}
			n++
		}
		// Only forward: an evaluation as of an earlier time (a test, a
		// late runner) does not make the feed look older than it is.
		if last, ok := w.AlertsEvaluatedIn(); !ok || now.After(last) {
			return w.SetAlertsEvaluated(now)
		}
		return nil
	})
	return n, err
}
