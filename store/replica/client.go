package replica

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
)

// Options tune a Client. Zero values take the defaults.
type Options struct {
	// Source names the remote's kind in the status ("hub", "zendesk").
	Source string
	// Taxonomy validates every pulled record before its page is applied.
	Taxonomy model.Taxonomy
	// PageSize is how many records to ask for per pull (default 1000).
	PageSize int
	// Interval is how long Run waits once caught up (default 5s).
	Interval time.Duration
	// Attempts bounds the tries of one step (a page, an action) before the
	// sync gives up with an error (default 6).
	Attempts int
	// MinBackoff and MaxBackoff bound the exponential backoff between tries
	// (defaults 250ms and 30s); MaxRetryAfter caps a remote's Retry-After
	// (default 5m).
	MinBackoff, MaxBackoff, MaxRetryAfter time.Duration
	// Logf receives one line per retry and notable event (default: none).
	// Messages never contain credentials.
	Logf func(format string, args ...any)
	// Sleep waits d or until ctx ends (tests record the waits).
	Sleep func(ctx context.Context, d time.Duration) error
	// Progress, when set, is called after each committed page with the new
	// status (a command's --verbose output, a progress bar).
	Progress func(Status)
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Seed makes the backoff jitter reproducible (0: random).
	Seed uint64
	// BulkLoad makes a pull into a store that holds no record a bulk load
	// (store.BeginBulkLoad): the pages' records and cursors commit page by
	// page as always, and the indexes and rollups are built once at the
	// end of the pull. For a one-pass sync (sync --once) whose process
	// reads nothing until it ends: a continuous sync's engine reads as
	// pages land. A pull stopped by its context leaves the build to the
	// next writable open; one that fails builds what it pulled.
	BulkLoad bool
}

func (o *Options) defaults() {
	if o.Source == "" {
		o.Source = "hub"
	}
	if o.Taxonomy.Statuses == nil {
		o.Taxonomy = model.DefaultTaxonomy()
	}
	if o.PageSize <= 0 {
		o.PageSize = 1000
	}
	if o.Interval <= 0 {
		o.Interval = 5 * time.Second
	}
	if o.Attempts <= 0 {
		o.Attempts = 6
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = 250 * time.Millisecond
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 30 * time.Second
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = 5 * time.Minute
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Seed == 0 {
		o.Seed = rand.Uint64()
	}
}

// Client syncs one store with one remote. Run it in a goroutine of the
// console or serve, or call SyncOnce from a command. It is the only writer
// of the store's sync state; its methods are safe for concurrent use.
type Client struct {
	st     *store.Store
	remote Remote
	opt    Options

	mu     sync.Mutex
	status Status
	rng    *rand.Rand
	kick   chan struct{}
	once   sync.Mutex // one SyncOnce at a time
}

// New makes a client for st (writable) and remote, resuming from the sync
// state stored in st.
func New(st *store.Store, remote Remote, opts Options) *Client {
	opts.defaults()
	c := &Client{st: st, remote: remote, opt: opts, rng: rand.New(rand.NewPCG(opts.Seed, 0x5eed)), kick: make(chan struct{}, 1)}
	c.status, _ = ReadStatus(st)
	c.status.Source = opts.Source
	c.status.Remote = remote.Name()
	if sr, ok := remote.(statefulRemote); ok {
		if b, err := st.Meta(metaRemoteState); err == nil && len(b) > 0 {
			if err := sr.Restore(b); err != nil {
				opts.Logf("sync: the kept state of %s does not read (%v): starting without it", remote.Name(), err)
			}
		}
	}
	return c
}

// statefulRemote is a remote that keeps state in the store with each page
// (Zendesk's names of users and groups).
type statefulRemote interface {
	State() ([]byte, bool) // the state to keep, when it changed
	Restore([]byte) error
}

// Status is the current sync state, with the outbox count read live.
func (c *Client) Status() Status {
	c.mu.Lock()
	s := c.status
	c.mu.Unlock()
	if n, err := c.st.OutboxLen(); err == nil {
		s.Pending = n
	}
	if n, err := c.st.QuarantineLen(); err == nil {
		s.Quarantined = n
	}
	return s
}

// Kick asks Run to sync now rather than at the next interval (after a
// local triage action, say). It never blocks.
func (c *Client) Kick() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// Run syncs until ctx ends: SyncOnce, then wait for the interval, a Kick
// or a new outbox entry. Failures are recorded in the status and retried
// at the next round; Run returns nil when ctx ends.
func (c *Client) Run(ctx context.Context) error {
	sub := c.st.Subscribe()
	defer sub.Cancel()
	for {
		// Entries this round could not deliver (a read-only remote) must
		// not wake the loop again: only entries newer than this mark do.
		// It is taken before the round, so an entry queued while the round
		// runs is never mistaken for one already tried.
		mark, _ := c.st.OutboxNewest()
		if err := c.SyncOnce(ctx); err != nil && ctx.Err() == nil {
			c.opt.Logf("sync: %v (next try in %s)", err, c.opt.Interval)
		}
		timer := time.NewTimer(c.opt.Interval)
		if n, err := c.st.OutboxNewest(); err == nil && n > mark {
			timer.Stop()
			continue
		}
	wait:
		for {
			select {
			case <-ctx.Done():
				timer.Stop()
				return nil
			case <-timer.C:
				break wait
			case <-c.kick:
				timer.Stop()
				break wait
			case <-sub.C:
				sub.Take()
				// Our own commits notify too: only new outbox entries matter.
				if n, err := c.st.OutboxNewest(); err == nil && n > mark {
					timer.Stop()
					break wait
				}
			}
		}
	}
}

// SyncOnce pushes the outbox, then pulls until caught up. It returns nil
// once the store matches the remote, or the error it gave up on (also
// recorded in the status). Every page commits in one transaction with the
// cursor and the status, so it can be interrupted at any instant.
func (c *Client) SyncOnce(ctx context.Context) error {
	c.once.Lock()
	defer c.once.Unlock()
	err := c.push(ctx)
	if err == nil {
		err = c.pull(ctx)
	}
	if err != nil && ctx.Err() == nil {
		c.recordError(err)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

func (c *Client) setStatus(s Status) {
	c.mu.Lock()
	c.status = s
	c.mu.Unlock()
}

// recordError keeps the failure in the status, in memory and in the store.
func (c *Client) recordError(err error) {
	c.mu.Lock()
	c.status.LastError = err.Error()
	c.status.LastErrorAt = c.opt.Now()
	s := c.status
	c.mu.Unlock()
	state, jerr := json.Marshal(s)
	if jerr != nil {
		return
	}
	c.st.Update(func(w *store.Writer) error { return w.PutMeta(metaStatus, state) })
}
