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
	active, err := st.Alerts(false)
	if err != nil {
		return 0, err
	}
	changed := 0
	_, err = st.Update(func(w *store.Writer) error {
		put := func(next *alert.Alert, ok bool) error {
			if !ok || next == nil {
				return nil
			}
			changed++
			return w.PutAlert(*next)
		}
		for _, rule := range rules {
			prev, err := w.Alert(rule.ID)
			if err != nil {
				return err
			}
			if err := put(alert.EvaluateKPI(rule, reports[rule.Window], prev, now)); err != nil {
				return err
			}
		}
		seen := map[string]bool{}
		for _, t := range tickets {
			key := "ticket_open_10d/" + t.ID
			seen[key] = true
			prev, err := w.Alert(key)
			if err != nil {
				return err
			}
			if err := put(alert.EvaluateTicket(t, prev, now)); err != nil {
				return err
			}
		}
		// Ticket alerts whose ticket left the queue resolve.
		for _, a := range active {
			if a.TicketID == "" || seen[a.Key] {
				continue
			}
			t, err := w.Ticket(a.TicketID)
			if err != nil {
				continue // gone from the store: leave the alert for a person
			}
			prev := a
			if err := put(alert.EvaluateTicket(t, &prev, now)); err != nil {
				return err
			}
		}
		return nil
	})
	return changed, err
}
