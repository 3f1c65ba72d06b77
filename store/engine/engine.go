package engine

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/replica"
)

// Options configure an Engine. The zero value runs an engine with the
// default rules, KPIs, taxonomy and windows.
type Options struct {
	// ReadOnly: the engine never writes, even on a store it could write
	// (no rules, no automations, every gate refuses). A store opened
	// read-only is always so.
	ReadOnly bool
	// NoRules: run neither the alert rules nor the automations, though
	// the store may be written (a tool that only triages, a test).
	NoRules bool
	// Remote, when set, is synced into the store by a sync loop with the
	// Replica options, and the store is a replica (its remote queues the
	// contact requests the automations ask for).
	Remote  replica.Remote
	Replica replica.Options
	// Origin: the store is where its contact requests originate even
	// though it syncs from Remote (a hub replicating Zendesk): the
	// automations queue them.
	Origin bool
	// Alerts are the rules and automations (default: those of an empty
	// config for Taxonomy).
	Alerts *alert.Settings
	// KPIs are the definitions with the configured targets (default
	// kpi.Defs()).
	KPIs []kpi.Def
	// Programme is what the CX programme is measured against; with a
	// go-live, the state carries every KPI since it (State.SinceGoLive).
	Programme kpi.Programme
	// Taxonomy validates triage actions (default model.DefaultTaxonomy()).
	Taxonomy model.Taxonomy
	// Windows are the spans the state holds KPIs and trends for (default
	// DefaultWindows).
	Windows []time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logf receives failures of the background work (default: none).
	Logf func(format string, args ...any)
	// Coalesce is the least time between two computations of the state:
	// a burst of commits inside it costs one (default 250ms).
	Coalesce time.Duration
	// Tick is how often the state is computed with nothing committed, for
	// what moves with the clock: ages, SLA countdowns, windows (default a
	// minute).
	Tick time.Duration
	// RuleInterval is how often the time-based rules run with nothing
	// committed (default DefaultInterval).
	RuleInterval time.Duration
	// Progress, when set, is a note the state carries before the sync
	// state (the demo's history arriving, the moment a console of the
	// past shows); "" for none.
	Progress func() string
	// Control, when set, is started by Start in its own goroutine when
	// the engine may write the store, and must return when ctx ends: the
	// seam for a control socket through which other processes reach this
	// engine (they cannot open a store this process holds). An error is
	// logged.
	Control func(ctx context.Context, e *Engine) error
}

// Engine is one open store and everything that runs beside it. Make one
// per open store with New or Open, Start it, and Close it.
type Engine struct {
	opt    Options
	st     *store.Store
	own    bool // Close closes the store
	client *replica.Client
	write  bool // the engine may write the store
	seq    atomic.Uint64

	state atomic.Pointer[State]
	gen   uint64 // the last published Gen; the loop's alone

	subsMu sync.Mutex
	subs   map[*Subscription]struct{}
	closed bool

	rounds    chan time.Time // runner rounds, latest wins
	runner    *Runner        // the rules and automations, nil when the engine runs none
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	syncEnded chan struct{}
	syncErr   error
}

// Open opens the store at path and makes its engine; Close closes both.
func Open(path string, so store.Options, opt Options) (*Engine, error) {
	st, err := store.Open(path, so)
	if err != nil {
		return nil, err
	}
	e := New(st, opt)
	e.own = true
	return e, nil
}

// New makes the engine of an open store, which the caller closes after
// the engine.
func New(st *store.Store, opt Options) *Engine {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logf == nil {
		opt.Logf = func(string, ...any) {}
	}
	if opt.Taxonomy.Statuses == nil {
		opt.Taxonomy = model.DefaultTaxonomy()
	}
	if opt.Alerts == nil {
		set := alert.DefaultSettings(opt.Taxonomy)
		opt.Alerts = &set
	}
	if len(opt.KPIs) == 0 {
		opt.KPIs = kpi.Defs()
	}
	if len(opt.Windows) == 0 {
		opt.Windows = DefaultWindows
	}
	if opt.Coalesce <= 0 {
		opt.Coalesce = 250 * time.Millisecond
	}
	if opt.Tick <= 0 {
		opt.Tick = time.Minute
	}
	e := &Engine{opt: opt, st: st, subs: map[*Subscription]struct{}{}, rounds: make(chan time.Time, 1),
		syncEnded: make(chan struct{}), write: !opt.ReadOnly && !st.ReadOnly()}
	if opt.Remote != nil {
		ro := opt.Replica
		if ro.Taxonomy.Statuses == nil {
			ro.Taxonomy = opt.Taxonomy
		}
		e.client = replica.New(st, opt.Remote, ro)
	} else {
		close(e.syncEnded)
	}
	return e
}

// Store is the engine's store, for the process that assembled the engine
// (commands, the control socket). Sessions get Reader and Gate instead.
func (e *Engine) Store() *store.Store { return e.st }

// Reader is a read-only view of the store.
func (e *Engine) Reader() Reader { return Reader{st: e.st} }

// CanWrite reports whether the engine may write the store.
func (e *Engine) CanWrite() bool { return e.write }

// Logf logs through the engine's logger (Options.Logf), for what runs
// beside the engine, such as its control seam.
func (e *Engine) Logf(format string, args ...any) { e.opt.Logf(format, args...) }

// Client is the sync loop's client, nil without a remote.
func (e *Engine) Client() *replica.Client { return e.client }

// Gate is the door to the store's writes for a session of role, recording
// actions as user. It refuses every write unless role is lead and the
// engine may write.
func (e *Engine) Gate(role Role, user string) *Gate {
	g := &Gate{role: role, taxonomy: e.opt.Taxonomy, user: user, now: e.opt.Now, seq: &e.seq}
	if e.write {
		g.st = e.st
	}
	return g
}

// runsRules reports whether this engine runs the rules and automations.
func (e *Engine) runsRules() bool { return e.write && !e.opt.NoRules }

// Start computes the first state (the windows a first frame shows; the
// state holding every window follows at once), then starts the sync loop (with a
// remote), the rules and automations (when the engine may write), the
// computation of the state after each burst of commits, and the control
// seam. Everything stops when ctx ends or Close is called.
func (e *Engine) Start(ctx context.Context) {
	ctx, e.cancel = context.WithCancel(ctx)
	// Subscribe before the first computation: a commit in between is seen.
	sub := e.st.Subscribe()
	// What a first frame shows first; the loop computes the rest at once.
	e.publish(e.computeOver(nil, true, true, firstWindows(e.opt.Windows, e.opt.KPIs)))
	e.spawn(func() { e.loop(ctx, sub) })
	if e.client != nil {
		e.spawn(func() {
			defer close(e.syncEnded)
			if err := e.client.Run(ctx); err != nil && ctx.Err() == nil {
				e.syncErr = err
			}
		})
	}
	if e.runsRules() {
		r := &Runner{Store: e.st, Settings: *e.opt.Alerts, Replica: e.replica(), Interval: e.opt.RuleInterval,
			Now: e.opt.Now, Logf: e.opt.Logf}
		e.runner = r
		r.round = func() {
			select {
			case <-e.rounds:
			default:
			}
			e.rounds <- e.opt.Now()
		}
		e.spawn(func() { r.Run(ctx) })
	}
	if e.opt.Control != nil && e.write {
		e.spawn(func() {
			if err := e.opt.Control(ctx, e); err != nil && ctx.Err() == nil {
				e.opt.Logf("control: %v", err)
			}
		})
	}
}

// Evaluate has the engine's own runner make a full round now (the
// automations on what they have not seen, then every rule as of the
// engine's clock) and waits for it: what a command that lists the alerts
// of a store this engine holds asks for, so that the rules and automations
// have one writer. ErrNotRunning when the engine runs no rules (read-only,
// NoRules, or not started).
func (e *Engine) Evaluate(ctx context.Context) error {
	if e.runner == nil {
		return ErrNotRunning
	}
	return e.runner.Ask(ctx)
}

func (e *Engine) spawn(fn func()) {
	e.wg.Add(1)
	go func() { defer e.wg.Done(); fn() }()
}

// replica reports whether the store is a replica: synced here, or by a
// sync that left its cursor (the automations then queue no contacts).
func (e *Engine) replica() bool {
	if e.opt.Origin {
		return false
	}
	if e.client != nil {
		return true
	}
	cursor, err := replica.ReadCursor(e.st)
	return err == nil && cursor != ""
}

// SyncEnded is closed when the sync loop stopped by itself or was
// stopped (at once without a remote); SyncErr says why.
func (e *Engine) SyncEnded() <-chan struct{} { return e.syncEnded }

// SyncErr is what stopped the sync loop, nil when it was asked to stop.
// Read it after SyncEnded is closed.
func (e *Engine) SyncErr() error { return e.syncErr }

// Close stops everything Start started, waits for it, ends every
// subscription, and closes the store when Open opened it.
func (e *Engine) Close() error {
	if e.cancel != nil {
		e.cancel()
	}
	e.wg.Wait()
	e.subsMu.Lock()
	e.closed = true
	for s := range e.subs {
		close(s.ch)
		delete(e.subs, s)
	}
	e.subsMu.Unlock()
	if e.own {
		if err := e.st.Close(); err != nil {
			return fmt.Errorf("close store %s: %w", e.st.Path(), err)
		}
	}
	return nil
}
