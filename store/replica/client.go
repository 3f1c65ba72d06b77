package replica

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
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

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
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

// retry runs fn until it succeeds, fails for good, or the attempts are
// spent, waiting with exponential backoff and jitter, or what the remote
// asked for with Retry-After.
func (c *Client) retry(ctx context.Context, what string, fn func() error) error {
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !retryable(err) {
			return fmt.Errorf("%s: %w", what, err)
		}
		if attempt >= c.opt.Attempts {
			return fmt.Errorf("%s: %w (gave up after %d attempts)", what, err, attempt)
		}
		wait := c.backoff(attempt)
		var he *HTTPError
		if errors.As(err, &he) && he.RetryAfter > 0 {
			wait = min(he.RetryAfter, c.opt.MaxRetryAfter)
		}
		c.opt.Logf("sync: %s: %v: retry %d/%d in %s", what, err, attempt, c.opt.Attempts-1, wait.Round(time.Millisecond))
		if err := c.opt.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// backoff is MinBackoff·2^(attempt-1), capped, with "equal jitter": a
// random point in its upper half, so many clients do not retry in step.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.opt.MinBackoff << min(attempt-1, 30)
	if d <= 0 || d > c.opt.MaxBackoff {
		d = c.opt.MaxBackoff
	}
	c.mu.Lock()
	j := time.Duration(c.rng.Int64N(int64(d/2) + 1))
	c.mu.Unlock()
	return d/2 + j
}

func retryable(err error) bool {
	var he *HTTPError
	switch {
	case errors.As(err, &he):
		return he.temporary()
	case errors.Is(err, ErrCursorExpired), errors.Is(err, ErrPushUnsupported), errors.Is(err, errPermanent):
		return false
	}
	// Network errors, timeouts, malformed or invalid pages: a retry may
	// meet a healthy answer.
	return true
}

// MaxEmptyPages bounds the empty pages in a row a pull follows.
const MaxEmptyPages = 100

// errPermanent marks errors no retry can fix (bad credentials, say).
var errPermanent = errors.New("permanent")

// pull applies pages from the stored cursor until the remote has no more.
// An expired cursor restarts from the beginning once: records already held
// are skipped as identical, so nothing is lost or counted twice.
func (c *Client) pull(ctx context.Context) error {
	cursor, err := ReadCursor(c.st)
	if err != nil {
		return err
	}
	err = c.pullFrom(ctx, cursor)
	if errors.Is(err, ErrCursorExpired) && cursor != "" {
		c.opt.Logf("sync: %s: %v: starting again from the beginning (records already here are skipped)", c.remote.Name(), err)
		err = c.pullFrom(ctx, "")
	}
	return err
}

type fetched struct {
	page *Page
	prep *store.Prepared // the page's records, prepared while the previous page commits
	err  error
}

// pullFrom fetches and validates the next page while the previous one
// commits: the network, parsing and the store work in parallel, and pages
// still commit strictly in order.
func (c *Client) pullFrom(ctx context.Context, cursor string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan fetched, 1)
	go func() {
		defer close(pages)
		cur := cursor
		empty := 0 // pages in a row with no record that say there is more
		for {
			var p *Page
			err := c.retry(ctx, fmt.Sprintf("pull from %s after cursor %q", c.remote.Name(), cur), func() error {
				var err error
				if p, err = c.remote.Pull(ctx, cur, c.opt.PageSize); err != nil {
					return err
				}
				if p.HasMore && p.Next == cur && len(p.Records) == 0 {
					// It would be asked the same thing forever.
					return &PageError{Index: -1, Err: fmt.Errorf("the remote says there is more but its next cursor is the one it was given (%q)", cur)}
				}
				if p.HasMore && len(p.Records) == 0 && len(p.Deleted) == 0 && len(p.Quarantined) == 0 {
					if empty++; empty >= MaxEmptyPages {
						// A new cursor each time, and never a record: a
						// broken or hostile remote would keep --once going forever.
						return permanent{&PageError{Index: -1, Err: fmt.Errorf("the remote answered %d empty pages in a row, each saying there is more: stopping", empty)}}
					}
				} else {
					empty = 0
				}
				return c.validate(p)
			})
			f := fetched{page: p, err: err}
			if err == nil {
				f.prep = store.PrepareBatch(p.Records)
			}
			select {
			case pages <- f:
			case <-ctx.Done():
				f.prep.Release()
				return
			}
			if err != nil || !p.HasMore {
				return
			}
			cur = p.Next
		}
	}()
	// A page not committed (an error, or the context ending) stops its
	// preparation; the fetcher stops with the context, without anyone
	// waiting for it.
	defer func() {
		cancel()
		go func() {
			for f := range pages {
				f.prep.Release()
			}
		}()
	}()
	for f := range pages {
		if f.err != nil {
			return f.err
		}
		if err := c.commit(f.page, f.prep); err != nil {
			return err
		}
		if !f.page.HasMore {
			return nil
		}
	}
	return ctx.Err()
}

// validate checks every record of a page against the taxonomy. A record
// that fails is moved to the page's quarantine with the reason: the rest of
// the page lands and the cursor moves on.
func (c *Client) validate(p *Page) error {
	kept := p.Records[:0]
	for _, r := range p.Records {
		if err := c.opt.Taxonomy.Validate(r); err != nil {
			p.Quarantined = append(p.Quarantined, store.Quarantined{
				Source: c.opt.Source, Kind: r.Kind(), ID: r.ID(), Reason: err.Error(),
				Mapped: true, Raw: model.AppendRecord(nil, r), At: c.opt.Now().UTC(),
			})
			continue
		}
		kept = append(kept, r)
	}
	p.Records = kept
	for i := range p.Quarantined {
		if p.Quarantined[i].Source == "" {
			p.Quarantined[i].Source = c.opt.Source
		}
		if p.Quarantined[i].At.IsZero() {
			p.Quarantined[i].At = c.opt.Now().UTC()
		}
	}
	return nil
}

// commit writes a page, its cursor and the new status in one transaction.
// A ticket the store holds in a newer version (a local triage action not
// yet pushed) is left alone: the push settles it.
func (c *Client) commit(p *Page, prep *store.Prepared) error {
	defer prep.Release()
	now := c.opt.Now()
	c.mu.Lock()
	s := c.status
	c.mu.Unlock()
	s.Records += uint64(len(p.Records))
	s.Deleted += uint64(len(p.Deleted))
	s.QuarantinedTotal += uint64(len(p.Quarantined))
	s.LastSuccess = now
	s.LastError, s.LastErrorAt = "", time.Time{}
	if !p.HasMore {
		s.CaughtUpAt = now
	}
	state, err := json.Marshal(s)
	if err != nil {
		return err
	}
	var remoteState []byte
	if sr, ok := c.remote.(statefulRemote); ok {
		remoteState, _ = sr.State()
	}
	_, err = c.st.Update(func(w *store.Writer) error {
		if remoteState != nil {
			if err := w.PutMeta(metaRemoteState, remoteState); err != nil {
				return err
			}
		}
		// The page's records are prepared on a second goroutine while
		// this one decides each against the stored version and puts it.
		i, err := w.PutPrepared(prep, func(_ int, r model.Record) (model.Record, bool, error) {
			if r.Ticket != nil {
				local, err := w.Ticket(r.Ticket.ID)
				if err == nil && local.Version > r.Ticket.Version {
					return r, false, nil
				}
				if err == nil {
					r.Ticket = keepConflicts(local, r.Ticket)
				}
			}
			return r, true, w.Unquarantine(c.opt.Source, r.Kind(), r.ID())
		})
		if err != nil {
			r := p.Records[i]
			return fmt.Errorf("record %d (%s %s): %w", i, r.Kind(), r.ID(), err)
		}
		for _, d := range p.Deleted {
			if _, err := w.Delete(d.Kind, d.ID); err != nil {
				return err
			}
			if err := w.Unquarantine(c.opt.Source, d.Kind, d.ID); err != nil {
				return err
			}
		}
		for _, q := range p.Quarantined {
			if err := w.Quarantine(q); err != nil {
				return err
			}
			c.opt.Logf("sync: quarantined %s %s from %s: %s", q.Kind, q.ID, c.remote.Name(), q.Reason)
		}
		if err := w.PutMeta(metaCursor, []byte(p.Next)); err != nil {
			return err
		}
		return w.PutMeta(metaStatus, state)
	})
	if err != nil {
		return fmt.Errorf("apply a page from %s: %w", c.remote.Name(), err)
	}
	c.setStatus(s)
	if c.opt.Progress != nil {
		c.opt.Progress(s)
	}
	return nil
}

// keepConflicts carries the local ticket's "conflict" history entries
// over to the remote's version when the remote does not keep them itself
// (Zendesk): a refused action stays visible after the next pull.
func keepConflicts(local, remote *model.Ticket) *model.Ticket {
	var add []model.Change
	for _, h := range local.History {
		if h.Field == "conflict" && !slices.Contains(remote.History, h) {
			add = append(add, h)
		}
	}
	if len(add) == 0 {
		return remote
	}
	t := remote.Clone()
	t.History = append(t.History, add...)
	slices.SortStableFunc(t.History, func(a, b model.Change) int { return a.At.Compare(b.At) })
	return t
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
