package replica

import (
	"context"
	"errors"
	"fmt"
	"time"
)

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

// errPermanent marks errors no retry can fix (bad credentials, say).
var errPermanent = errors.New("permanent")

// sleep waits d or until ctx ends (Options.Sleep's default).
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
