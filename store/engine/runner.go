package engine

import (
	"context"
	"errors"
	"sync"
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
	// asks are full rounds asked for by Ask; each gets the round's first
	// error (nil when it went well) once the round has ended.
	asks    chan chan error
	stopped chan struct{} // closed when Run returns
	once    sync.Once
}

// init makes the channels Run and Ask share, whichever comes first.
func (r *Runner) init() {
	r.once.Do(func() {
		r.asks = make(chan chan error)
		r.stopped = make(chan struct{})
	})
}

// ErrNotRunning is Ask's error when the runner is not running (stopped,
// or never started).
var ErrNotRunning = errors.New("the rules and automations are not running in this process")

// Ask runs a full round (the automations on what they have not seen, then
// every rule as of the runner's clock) in the runner's own goroutine, the
// one that writes alerts, and waits for it: the round a command such as
// 'cxtop alerts' needs, without a second evaluator beside the runner.
func (r *Runner) Ask(ctx context.Context) error {
	r.init()
	done := make(chan error, 1)
	select {
	case r.asks <- done:
	case <-ctx.Done():
		return ctx.Err()
	case <-r.stopped:
		return ErrNotRunning
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
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
	r.init()
	defer close(r.stopped)
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
		case done := <-r.asks:
			err := r.automate()
			if e := r.evaluate(r.Settings.Rules, nil); err == nil {
				err = e
			}
			done <- err
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

func (r *Runner) automate() error {
	res, err := Automate(r.Store, r.Settings, r.Replica, r.Now())
	if err != nil {
		r.Logf("automations: %v", err)
	}
	for _, s := range res.Skipped {
		r.Logf("automations: skipped: %s", s)
	}
	return err
}

func (r *Runner) evaluate(rules []alert.Rule, ch *store.Change) error {
	var err error
	if ch == nil {
		_, err = Evaluate(r.Store, rules, r.Now())
	} else {
		_, err = EvaluateChange(r.Store, rules, *ch, r.Now())
	}
	if err != nil {
		r.Logf("alerts: %v", err)
	}
	return err
}

func (r *Runner) done() {
	if r.round != nil {
		r.round()
	}
}
