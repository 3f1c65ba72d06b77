package engine

import (
	"context"
	"time"

	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
)

// DefaultInterval is how often a Runner re-evaluates the rules that change
// with time alone (a ticket growing old, a follow-up getting overdue).
const DefaultInterval = time.Minute

// Runner keeps alerts and automations current in a long-running process
// (cxtop sync, hub, demo): after every committed batch it runs the
// automations on the new records and re-evaluates only the rules whose
// inputs the batch changed; on a timer it re-evaluates the time-based
// rules. Run it in one goroutine; it stops when its context ends.
type Runner struct {
	Store    *store.Store
	Settings alert.Settings
	// Replica: the store is synced from a remote that runs the same
	// automations and delivers the contacts (see Automate).
	Replica  bool
	Interval time.Duration                 // default DefaultInterval
	Now      func() time.Time              // default time.Now
	Logf     func(format string, a ...any) // failures; default: none

	round func() // tests: called after each round
}

// Run catches up (the automations on everything since their cursor, every
// rule), then follows the store until ctx ends. It returns nil then; a
// failing round is logged and retried at the next change or tick.
func (r *Runner) Run(ctx context.Context) error {
	if r.Interval <= 0 {
		r.Interval = DefaultInterval
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	if r.Logf == nil {
		r.Logf = func(string, ...any) {}
	}
	sub := r.Store.Subscribe()
	defer sub.Cancel()
	tick := time.NewTicker(r.Interval)
	defer tick.Stop()
	r.automate()
	r.evaluate(r.Settings.Rules, nil)
	r.done()
	var timed []alert.Rule
	for _, rule := range r.Settings.Rules {
		if rule.TimeBased() {
			timed = append(timed, rule)
		}
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			r.evaluate(timed, nil)
		case _, ok := <-sub.C:
			if !ok {
				return nil // the store was closed
			}
			ch := sub.Take()
			if len(ch.Tickets) == 0 && ch.Feedback == 0 && ch.Events == 0 && !ch.More {
				continue // meta only: sync state, alerts, our own cursor
			}
			r.automate()
			r.evaluate(r.Settings.Rules, &ch)
		}
		r.done()
	}
}

func (r *Runner) automate() {
	res, err := Automate(r.Store, r.Settings, r.Replica, r.Now())
	if err != nil {
		r.Logf("automations: %v", err)
	}
	for _, s := range res.Skipped {
		r.Logf("automations: skipped: %s", s)
	}
}

func (r *Runner) evaluate(rules []alert.Rule, ch *store.Change) {
	var err error
	if ch == nil {
		_, err = Evaluate(r.Store, rules, r.Now())
	} else {
		_, err = EvaluateChange(r.Store, rules, *ch, r.Now())
	}
	if err != nil {
		r.Logf("alerts: %v", err)
	}
}

func (r *Runner) done() {
	if r.round != nil {
		r.round()
	}
}
