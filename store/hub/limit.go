package hub

import (
	"math"
	"sync"
	"time"
)

// limiter is a token bucket: past rate events per second (with a burst)
// the hub answers 429 with the time until a token frees up, which clients
// honour as Retry-After. One is shared by all clients (--rps); others
// count failed authentications per address and in all (auth.go).
type limiter struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
	now    func() time.Time
}

func newLimiter(rate float64, burst int, now func() time.Time) *limiter {
	if rate <= 0 {
		return nil
	}
	if burst < 1 {
		burst = int(math.Max(1, math.Ceil(rate)))
	}
	return &limiter{rate: rate, burst: float64(burst), tokens: float64(burst), last: now(), now: now}
}

// peek says, without spending one, whether a token is there, and if not
// how long until one is.
func (l *limiter) peek() (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	tokens := math.Min(l.burst, l.tokens+l.now().Sub(l.last).Seconds()*l.rate)
	if tokens >= 1 {
		return true, 0
	}
	return false, time.Duration((1 - tokens) / l.rate * float64(time.Second))
}

// full says whether the bucket has refilled: it limits nothing now, and
// forgetting it changes nothing.
func (l *limiter) full() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.tokens+l.now().Sub(l.last).Seconds()*l.rate >= l.burst
}

// take spends a token, or says how long to wait for one.
func (l *limiter) take() (ok bool, wait time.Duration) {
	if l == nil {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.tokens = math.Min(l.burst, l.tokens+now.Sub(l.last).Seconds()*l.rate)
	l.last = now
	if l.tokens >= 1 {
		l.tokens--
		return true, 0
	}
	return false, time.Duration((1 - l.tokens) / l.rate * float64(time.Second))
}
