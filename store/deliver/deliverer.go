package deliver

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cxtop/cxtop/store"
)

// Options tune a Deliverer. Zero values take the defaults.
type Options struct {
	// Drivers maps a request's channel (email, zalo_zns, sms) to its
	// driver. A channel without one leaves its requests queued.
	Drivers map[string]Driver
	// Directory gives the customers' addresses.
	Directory Directory
	// MaxAttempts is the tries before the dead-letter (default 5);
	// MinBackoff doubles up to MaxBackoff between them (1m, 1h).
	MaxAttempts            int
	MinBackoff, MaxBackoff time.Duration
	// Quiet holds requests during these local hours (zero: none).
	Quiet QuietHours
	// PerCustomer caps the messages one customer gets within CapWindow
	// (0: no cap; window default 24h).
	PerCustomer int
	CapWindow   time.Duration
	// Now is the clock; Logf gets one line per outcome.
	Now  func() time.Time
	Logf func(format string, args ...any)
}

func (o *Options) defaults() {
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 5
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = time.Minute
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = time.Hour
	}
	if o.CapWindow <= 0 {
		o.CapWindow = 24 * time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
}

// Deliverer sends a store's contact requests. One per store: run it only
// in the process that holds the origin store.
type Deliverer struct {
	st  *store.Store
	opt Options
}

// New makes a deliverer for st (writable).
func New(st *store.Store, opt Options) *Deliverer {
	opt.defaults()
	return &Deliverer{st: st, opt: opt}
}

// Result counts one round.
type Result struct {
	Sent, Delivered, Failed, Dead, Retried, Held int
}

// Once delivers every request that is due now, oldest first, and returns
// what it did. A store error stops it; a send error only moves its request.
func (d *Deliverer) Once(ctx context.Context) (Result, error) {
	var res Result
	all, err := List(d.st)
	if err != nil {
		return res, err
	}
	now := d.opt.Now().UTC()
	recent := map[string][]time.Time{} // customer → send times within the cap window
	for _, r := range all {
		if (r.Status == StatusSent || r.Status == StatusDelivered || r.Status == StatusSending) && now.Sub(r.SentAt) < d.opt.CapWindow {
			recent[r.CustomerID] = append(recent[r.CustomerID], r.SentAt)
		}
	}
	for _, r := range all {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		if r.Status == StatusSending {
			var err error
			if r, err = d.interrupted(r, now, &res); err != nil {
				return res, err
			}
			if r.Status != StatusQueued {
				continue
			}
		}
		if Final(r.Status) || (!r.NextAt.IsZero() && r.NextAt.After(now)) {
			continue
		}
		drv := d.opt.Drivers[r.Channel]
		if drv == nil {
			continue // stays queued: `cxtop contacts` says no driver takes its channel
		}
		if until, ok := d.opt.Quiet.Until(now); ok {
			r.NextAt, r.Reason = until, "quiet hours"
			res.Held++
			if err := d.save(r, now, false); err != nil {
				return res, err
			}
			continue
		}
		if c := d.opt.PerCustomer; c > 0 && len(recent[r.CustomerID]) >= c {
			oldest := recent[r.CustomerID][0]
			for _, t := range recent[r.CustomerID] {
				oldest = minTime(oldest, t)
			}
			r.NextAt, r.Reason = oldest.Add(d.opt.CapWindow), fmt.Sprintf("per-customer cap (%d in %s)", c, d.opt.CapWindow)
			res.Held++
			if err := d.save(r, now, false); err != nil {
				return res, err
			}
			continue
		}
		if err := d.send(ctx, drv, r, now, &res); err != nil {
			return res, err
		}
		recent[r.CustomerID] = append(recent[r.CustomerID], now)
	}
	return res, nil
}

// send commits "sending", sends, and commits the outcome.
func (d *Deliverer) send(ctx context.Context, drv Driver, r Request, now time.Time, res *Result) error {
	m := Message{Request: r, Recipient: d.opt.Directory[r.CustomerID]}
	m.Recipient.CustomerID = r.CustomerID
	r.Attempts++
	r.Driver = drv.Name()
	if err := render(&m); err != nil {
		return d.outcome(r, Outcome{}, err, now, res)
	}
	r.Status, r.SentAt = StatusSending, now
	if err := d.save(r, now, false); err != nil {
		return err
	}
	m.Request = r
	out, err := drv.Send(ctx, m)
	if ctx.Err() != nil && err != nil {
		return ctx.Err() // stopping: the request stays "sending", settled at the next start
	}
	return d.outcome(r, out, err, d.opt.Now().UTC(), res)
}

func (d *Deliverer) outcome(r Request, out Outcome, err error, now time.Time, res *Result) error {
	if err == nil {
		r.Status, r.MessageID, r.Reason, r.NextAt = out.Status, out.MessageID, "", time.Time{}
		if r.Status == StatusDelivered {
			res.Delivered++
		} else {
			res.Sent++
		}
		d.opt.Logf("contacts: %s %s to %s by %s", r.Status, r.Key, r.CustomerID, r.Driver)
		return d.save(r, now, true)
	}
	se := classify(err)
	r.Reason = se.Reason
	switch {
	case !se.Temporary:
		r.Status = StatusFailed
		res.Failed++
	case r.Attempts >= d.opt.MaxAttempts:
		r.Status = StatusDead
		r.Reason = fmt.Sprintf("dead-letter after %d tries: %s", r.Attempts, se.Reason)
		res.Dead++
	default:
		r.Status = StatusQueued
		wait := d.opt.MinBackoff << min(r.Attempts-1, 20)
		if wait <= 0 || wait > d.opt.MaxBackoff {
			wait = d.opt.MaxBackoff
		}
		r.NextAt = now.Add(max(wait, se.RetryAfter))
		res.Retried++
	}
	d.opt.Logf("contacts: %s %s (try %d): %s", r.Status, r.Key, r.Attempts, r.Reason)
	return d.save(r, now, Final(r.Status))
}

// interrupted settles a request a killed process left "sending": retried
// through an idempotent driver, failed otherwise (it may have gone out).
// The request returned is queued again (to be sent in this round) or failed.
func (d *Deliverer) interrupted(r Request, now time.Time, res *Result) (Request, error) {
	drv := d.opt.Drivers[r.Channel]
	if drv != nil && drv.Idempotent() {
		r.Status, r.Reason = StatusQueued, "interrupted while sending: retried with the same idempotency key"
		r.NextAt = time.Time{}
		return r, d.save(r, now, false)
	}
	r.Status = StatusFailed
	r.Reason = "interrupted while sending: not retried, so that it is never sent twice (check the provider's log)"
	res.Failed++
	return r, d.save(r, now, true)
}

// save commits a request's state, acknowledging its outbox entry when the
// request is final.
func (d *Deliverer) save(r Request, now time.Time, final bool) error {
	r.UpdatedAt = now
	_, err := d.st.Update(func(w *store.Writer) error {
		if final {
			if err := w.AckOutbox(r.Seq); err != nil {
				return err
			}
		}
		return putState(w, r)
	})
	if err != nil {
		return fmt.Errorf("contacts: keep the state of %s: %w", r.Key, err)
	}
	return nil
}

// Run delivers until ctx ends: a round now, then after every commit that
// queued something, and at least every interval (for retries and quiet
// hours).
func (d *Deliverer) Run(ctx context.Context, interval time.Duration) error {
	if interval <= 0 {
		interval = 10 * time.Second
	}
	sub := d.st.Subscribe()
	defer sub.Cancel()
	mark, _ := d.st.OutboxNewest()
	for {
		if _, err := d.Once(ctx); err != nil && !errors.Is(err, context.Canceled) {
			d.opt.Logf("contacts: %v", err)
		}
		timer := time.NewTimer(interval)
	wait:
		for {
			select {
			case <-ctx.Done():
				timer.Stop()
				return nil
			case <-timer.C:
				break wait
			case <-sub.C:
				sub.Take()
				if n, err := d.st.OutboxNewest(); err == nil && n > mark {
					mark = n
					timer.Stop()
					break wait
				}
			}
		}
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
