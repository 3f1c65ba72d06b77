// Package engine runs the alert rules of model/alert against a store: KPI
// rules over the rollups, ticket rules over the open-ticket index, and
// writes what changed in one transaction.
package engine

import (
	"fmt"
	"time"

	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store"
)

// maxOpenScan bounds the open tickets one evaluation looks at.
const maxOpenScan = 100_000

// Evaluate runs every rule as of now and stores the alerts that fired,
// resolved or changed. It returns how many changed.
func Evaluate(st *store.Store, rules []alert.Rule, now time.Time) (int, error) {
	reports := map[time.Duration]kpi.Report{}
	err := st.ViewRollups(func(r *store.Rollups) error {
		for _, rule := range rules {
			if _, ok := reports[rule.Window]; ok {
				continue
			}
			w, err := kpi.NewWindow(now, rule.Window)
			if err != nil {
				return fmt.Errorf("alert rule %s: %w", rule.ID, err)
			}
			reports[rule.Window] = kpi.Compute(r, w, kpi.Defs(), nil)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	open, err := st.OpenTickets()
	if err != nil {
		return 0, err
	}
	tickets, err := st.Tickets(store.TicketQuery{Limit: min(max(open, 1), maxOpenScan)})
	if err != nil {
		return 0, err
	}
	stored, err := st.Alerts(true)
	if err != nil {
		return 0, err
	}
	prev := map[string]*alert.Alert{}
	for i := range stored {
		prev[stored[i].Key] = &stored[i]
	}
	// Decide first, from what was read; write only when something changed,
	// so an idle console evaluating on a timer does not commit.
	var changes []alert.Alert
	keep := func(next *alert.Alert, ok bool) {
		if ok && next != nil {
			changes = append(changes, *next)
		}
	}
	for _, rule := range rules {
		keep(alert.EvaluateKPI(rule, reports[rule.Window], prev[rule.ID], now))
	}
	seen := map[string]bool{}
	for _, t := range tickets {
		key := "ticket_open_10d/" + t.ID
		seen[key] = true
		keep(alert.EvaluateTicket(t, prev[key], now))
	}
	// Ticket alerts whose ticket left the queue resolve.
	for _, a := range stored {
		if a.TicketID == "" || !a.Active() || seen[a.Key] {
			continue
		}
		t, err := st.Ticket(a.TicketID)
		if err != nil {
			continue // gone from the store: leave the alert for a person
		}
		keep(alert.EvaluateTicket(t, prev[a.Key], now))
	}
	if len(changes) == 0 {
		return 0, nil
	}
	_, err = st.Update(func(w *store.Writer) error {
		for _, a := range changes {
			if err := w.PutAlert(a); err != nil {
				return err
			}
		}
		return nil
	})
	return len(changes), err
}
