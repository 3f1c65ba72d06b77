package hub

import (
	"context"
	"crypto/subtle"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Client is one client the hub knows: the token it authenticates with and
// the name the hub records as the author of its triage actions.
type Client struct {
	Name  string
	Token string
}

// anonymous is the author of actions on a hub without tokens (loopback
// only, or --insecure-no-token).
const anonymous = "anonymous"

type clientKey struct{}

// clientOf is the authenticated client of a request the guard let in.
func clientOf(r *http.Request) string {
	if name, ok := r.Context().Value(clientKey{}).(string); ok {
		return name
	}
	return anonymous
}

// bearer reads "Authorization: Bearer <token>"; the scheme is
// case-insensitive (RFC 9110 §11.1) and may be followed by several spaces.
func bearer(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return "", false
	}
	return strings.TrimSpace(tok), true
}

// authenticate finds the client whose token the request carries. Every
// token is compared, in constant time, so timing says nothing of which
// client nearly matched.
func (s *Server) authenticate(r *http.Request) (string, bool) {
	if len(s.clients) == 0 {
		return anonymous, true
	}
	tok, ok := bearer(r)
	name, found := "", 0
	for _, c := range s.clients {
		if subtle.ConstantTimeCompare([]byte(tok), []byte(c.Token)) == 1 {
			name, found = c.Name, 1
		}
	}
	return name, ok && found == 1
}

// failures rate-limits failed authentications per client address: a few
// mistakes pass, then one guess a second at most, so a token cannot be
// found by guessing (3,000 guesses took 0.4 s before). An address that is
// over its limit is answered 429 without its token being looked at.
type failures struct {
	mu    sync.Mutex
	now   func() time.Time
	perIP map[string]*limiter
}

// Failed-authentication budget of one address.
const (
	failBurst = 5
	failRate  = 1.0 // a second, once the burst is spent
	// failTracked bounds the addresses remembered; past it the table
	// starts over, which an attacker with that many addresses gains little from.
	failTracked = 10000
)

func newFailures(now func() time.Time) *failures {
	return &failures{now: now, perIP: map[string]*limiter{}}
}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// blocked says whether ip has spent its failures, and for how long.
func (f *failures) blocked(ip string) (bool, time.Duration) {
	f.mu.Lock()
	l := f.perIP[ip]
	f.mu.Unlock()
	if l == nil {
		return false, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	tokens := math.Min(l.burst, l.tokens+now.Sub(l.last).Seconds()*l.rate)
	if tokens >= 1 {
		return false, 0
	}
	return true, time.Duration((1 - tokens) / l.rate * float64(time.Second))
}

// fail spends one of ip's failures.
func (f *failures) fail(ip string) {
	f.mu.Lock()
	l := f.perIP[ip]
	if l == nil {
		if len(f.perIP) >= failTracked {
			clear(f.perIP)
		}
		l = newLimiter(failRate, failBurst, f.now)
		f.perIP[ip] = l
	}
	f.mu.Unlock()
	l.take()
}

// guard applies authentication (with its failure limit), then the rate
// limit, and passes the client's name on to the handler.
func (s *Server) guard(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := remoteIP(r)
		if len(s.clients) > 0 {
			if blocked, wait := s.failures.blocked(ip); blocked {
				tooMany(w, wait, "too many failed authentications from this address: retry after the Retry-After delay with the right token")
				return
			}
		}
		name, ok := s.authenticate(r)
		if !ok {
			s.failures.fail(ip)
			w.Header().Set("WWW-Authenticate", `Bearer realm="cxtop hub"`)
			writeError(w, http.StatusUnauthorized, apiError{Error: "missing or wrong bearer token: pass the hub's token with --token-file, CXTOP_TOKEN or the config"})
			return
		}
		if ok, wait := s.limiter.take(); !ok {
			tooMany(w, wait, "rate limit exceeded: retry after the Retry-After delay")
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, name)))
	})
}

func tooMany(w http.ResponseWriter, wait time.Duration, msg string) {
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	writeError(w, http.StatusTooManyRequests, apiError{Error: msg})
}
