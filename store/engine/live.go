package engine

import (
	"context"
	"slices"
	"time"

	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/replica"
)

// syncEvery is how often the sync part of the state is looked at between
// commits (a lag that grows, a retry): only a change is published.
const syncEvery = 5 * time.Second

// Subscription receives the engine's states. C holds at most one state,
// the latest: a session that falls behind skips to it, and the engine
// never waits for a session. C is closed when the engine closes or the
// subscription is cancelled.
type Subscription struct {
	C  <-chan *State
	ch chan *State
	e  *Engine
}

// Subscribe starts receiving states; the current one, when there is one,
// is waiting on C at once.
func (e *Engine) Subscribe() *Subscription {
	ch := make(chan *State, 1)
	s := &Subscription{C: ch, ch: ch, e: e}
	e.subsMu.Lock()
	defer e.subsMu.Unlock()
	if e.closed {
		close(ch)
		return s
	}
	if st := e.state.Load(); st != nil {
		ch <- st
	}
	e.subs[s] = struct{}{}
	return s
}

// Cancel stops the subscription and closes C.
func (s *Subscription) Cancel() {
	s.e.subsMu.Lock()
	defer s.e.subsMu.Unlock()
	if _, ok := s.e.subs[s]; ok {
		delete(s.e.subs, s)
		close(s.ch)
	}
}

// State is the latest published state (nil before Start).
func (e *Engine) State() *State { return e.state.Load() }

// publish makes st the latest state and hands it to every subscriber,
// replacing one it has not taken yet.
func (e *Engine) publish(st *State) {
	e.gen++
	st.Gen = e.gen
	e.state.Store(st)
	e.subsMu.Lock()
	defer e.subsMu.Unlock()
	for s := range e.subs {
		select {
		case <-s.ch: // not taken yet: the newer state replaces it
		default:
		}
		s.ch <- st // the only sender, under subsMu: there is room now
	}
}

// loop computes the state after each burst of commits, with at least
// Coalesce between two computations, after each round of the rules, and
// on the clock.
func (e *Engine) loop(ctx context.Context, sub *store.Subscription) {
	defer sub.Cancel()
	clock := time.NewTicker(e.opt.Tick)
	defer clock.Stop()
	syncTick := time.NewTicker(syncEvery)
	defer syncTick.Stop()
	var (
		due          *time.Timer
		dueC         <-chan time.Time
		data, alerts bool // what the commits since the last computation touched
		more         bool // a commit changed more tickets than it listed: trends in full
		last         = time.Now()
		cost         time.Duration // how long the last computation took
		evaluated    time.Time     // the last round of the rules
	)
	gap := func() time.Duration { return computeGap(e.opt.Coalesce, cost) }
	// changed takes a store notification and arms the computation.
	changed := func() {
		ch := sub.Take()
		alerts = alerts || ch.Alerts
		data = data || ch.More || len(ch.Tickets) > 0 || ch.Feedback > 0 || ch.Events > 0 || ch.Alerts
		more = more || ch.More
		if dueC == nil {
			due = time.NewTimer(max(gap()-time.Since(last), 0))
			dueC = due.C
		}
	}
	publish := func(st *State) {
		st.Evaluated = later(st.Evaluated, evaluated)
		e.publish(st)
	}
	// The first state holds what a first frame shows; the other windows
	// follow at once (a commit meanwhile waits for them, as it waited for
	// the first state).
	if st := e.State(); st != nil && (!st.Complete() || st.firstRows) {
		publish(withWindows(e.Reader(), st, e.opt.KPIs, e.gen+1, e.opt.Now()))
	}
	for {
		select {
		case <-ctx.Done():
			if due != nil {
				due.Stop()
			}
			return
		case _, ok := <-sub.C:
			if !ok {
				return // the store closed
			}
			changed()
		case <-dueC:
			dueC = nil
			prev := e.State()
			began := time.Now()
			if data {
				publish(e.compute(prev, alerts, more))
			} else {
				// Meta only (a sync round's status, the outbox drained):
				// the sync line and the pending marks, nothing else.
				publish(e.refreshSync(prev, true))
			}
			data, alerts, more, last = false, false, false, time.Now()
			cost = last.Sub(began)
		case <-clock.C:
			publish(e.compute(e.State(), false, true))
			last = time.Now()
		case at := <-e.rounds:
			first := evaluated.IsZero()
			evaluated = at
			// The round's own commit, if it wrote, is signalled before the
			// round ends: take it, so the alerts and the time they were
			// evaluated arrive in one state.
			select {
			case _, ok := <-sub.C:
				if ok {
					changed()
				}
			default:
			}
			// A later round's time rides on the next state (the next
			// commit's, the clock's within a minute): a state of its own
			// after every commit would make every session draw twice.
			if dueC == nil && first {
				publish(e.refreshSync(e.State(), false))
			}
		case <-syncTick.C:
			prev := e.State()
			if s := e.readSync(); s != prev.Sync {
				next := *prev
				next.Sync = s
				publish(&next)
			}
		}
	}
}

// computeGap is the least time between two computations: coalesce, or
// twice what the last one cost when that is more, so that a bulk load (a
// first sync, the demo's history) is not slowed by states computed back
// to back: computing the state takes at most a third of a core.
func computeGap(coalesce, cost time.Duration) time.Duration { return max(coalesce, 2*cost) }

// compute reads the whole state; the alert list is read again only when
// alerts says a commit wrote one (reading thousands of alerts is costly)
// or there is no previous state, the trends in full only when full or the
// window moved (see computeKPIs).
func (e *Engine) compute(prev *State, alerts, full bool) *State {
	return e.computeOver(prev, alerts, full, e.opt.Windows)
}

// computeOver is compute with the reports and trends of windows alone (the
// engine's first state); the state lists the others as Computing.
func (e *Engine) computeOver(prev *State, alerts, full bool, windows []time.Duration) *State {
	r := e.Reader()
	now := e.opt.Now()
	st := &State{At: now, KPIs: e.opt.KPIs, Rules: e.runsRules(), DataGen: e.gen + 1}
	for _, w := range e.opt.Windows {
		if !slices.Contains(windows, w) {
			st.Computing = append(st.Computing, w)
		}
	}
	keep := func(err error) {
		if err != nil && st.Err == nil {
			st.Err = err
		}
	}
	var trends map[time.Duration]Trend
	if prev != nil {
		trends = prev.Trends
	}
	k, err := computeKPIs(r, now, windows, e.opt.KPIs, trends, full)
	keep(err)
	st.Reports, st.Trends, st.Own, st.OwnSeries = k.reports, k.trends, k.own, k.ownSeries
	if p := e.opt.Programme; !p.GoLive.IsZero() && now.After(p.GoLive) {
		// A go-live over a year back (past the longest window) leaves the
		// column empty rather than failing the state.
		keep(r.ViewRollups(func(ro *store.Rollups) error {
			st.SinceGoLive, _ = kpi.SinceGoLive(ro, p, now, e.opt.KPIs)
			return nil
		}))
	}
	// The first state (no prev, not every window) reads the rows a first
	// frame shows; the next one the rest (withWindows).
	rows, nAlerts := QueueHead, MaxAlerts
	if prev == nil && len(windows) < len(e.opt.Windows) {
		rows, nAlerts, st.firstRows = FirstRows, FirstRows, true
	}
	st.Queue, st.Open, st.Pending, st.outbox, err = readQueue(r, prev, rows)
	keep(err)
	if alerts || prev == nil {
		st.Alerts, st.Active, err = readAlerts(r, nAlerts)
		keep(err)
		st.AlertsGen = e.gen + 1 // the Gen this state is published with
	} else {
		st.Alerts, st.Active, st.AlertsGen = prev.Alerts, prev.Active, prev.AlertsGen
	}
	st.Sync = e.readSync()
	st.Evaluated = e.storedEvaluated()
	return st
}

// storedEvaluated is when the rules last ran on the store, by whichever
// process (zero when never, or unreadable).
func (e *Engine) storedEvaluated() time.Time {
	at, ok, err := e.st.AlertsEvaluated()
	if err != nil || !ok {
		return time.Time{}
	}
	return at
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// refreshSync is prev with the sync state read again (and the pending
// marks, when pending).
func (e *Engine) refreshSync(prev *State, pending bool) *State {
	next := *prev
	next.At = e.opt.Now()
	next.Sync = e.readSync()
	next.Evaluated = later(next.Evaluated, e.storedEvaluated())
	if pending {
		if p, err := PendingTickets(e.Reader()); err == nil {
			next.Pending = p
		}
	}
	return &next
}

// readSync is the sync loop's status, or what a sync left in the store.
func (e *Engine) readSync() Sync {
	s := Sync{Live: e.client != nil}
	if e.opt.Progress != nil {
		s.Progress = e.opt.Progress()
	}
	if e.client != nil {
		s.Status = e.client.Status()
		return s
	}
	if st, err := replica.ReadStatus(e.st); err == nil {
		s.Status = st
	}
	return s
}
