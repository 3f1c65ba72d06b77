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

// failures rate-limits failed authentications per client address (an IPv6
// /64 counts as one address): a few mistakes pass, then one guess a second
// at most, so a token cannot be found by guessing (3,000 guesses took 0.4 s
// before). An address that is over its limit is answered 429 without its
// token being looked at; so is one address's mistakes never another's.
//
// A ceiling over all addresses bounds what an attacker with many addresses
// can try. While it is spent, only addresses that have authenticated
// before (known) are let through to the token check, each still within its
// own limit: a flood of guesses from elsewhere does not lock out the
// consoles already syncing.
type failures struct {
	mu     sync.Mutex
	now    func() time.Time
	perKey map[string]*limiter
	all    *limiter
	known  map[string]time.Time // address → last successful authentication
}

// Failed-authentication budgets.
const (
	failBurst = 5
	failRate  = 1.0 // a second, once the burst is spent
	// Over all addresses.
	failAllBurst = 100
	failAllRate  = 10.0
	// failTracked bounds the addresses remembered, failing or known;
	// past it, entries that no longer limit anything are forgotten first.
	failTracked = 10000
	// knownFor is how long an address that authenticated stays known.
	knownFor = 24 * time.Hour
)

func newFailures(now func() time.Time) *failures {
	return &failures{now: now, perKey: map[string]*limiter{}, all: newLimiter(failAllRate, failAllBurst, now), known: map[string]time.Time{}}
}

// remoteKey is the address a request's failures count against.
func remoteKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return addrKey(host)
}

// blocked says whether key may not try a token now, for how long, and why.
func (f *failures) blocked(key string) (bool, time.Duration, string) {
	f.mu.Lock()
	l := f.perKey[key]
	seen, known := f.known[key]
	known = known && f.now().Sub(seen) < knownFor
	f.mu.Unlock()
	if l != nil {
		if ok, wait := l.peek(); !ok {
			return true, wait, "too many failed authentications from this address"
		}
	}
	if !known {
		if ok, wait := f.all.peek(); !ok {
			return true, wait, "too many failed authentications from unknown addresses"
		}
	}
	return false, 0, ""
}

// fail spends one of key's failures, and one of the ceiling's.
func (f *failures) fail(key string) {
	f.mu.Lock()
	l := f.perKey[key]
	if l == nil {
		if len(f.perKey) >= failTracked {
			for k, old := range f.perKey {
				if old.full() {
					delete(f.perKey, k)
				}
			}
			if len(f.perKey) >= failTracked {
				// Every one still limits: start over; the ceiling holds.
				clear(f.perKey)
			}
		}
		l = newLimiter(failRate, failBurst, f.now)
		f.perKey[key] = l
	}
	f.mu.Unlock()
	l.take()
	f.all.take()
}

// succeed remembers that key authenticated.
func (f *failures) succeed(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	if _, ok := f.known[key]; !ok && len(f.known) >= failTracked {
		for k, at := range f.known {
			if now.Sub(at) >= knownFor {
				delete(f.known, k)
			}
		}
		if len(f.known) >= failTracked {
			clear(f.known)
		}
	}
	f.known[key] = now
}

// guard applies authentication (with its failure limit), then the rate
// limit, and passes the client's name on to the handler.
func (s *Server) guard(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := remoteKey(r)
		if len(s.clients) > 0 {
			if blocked, wait, why := s.failures.blocked(key); blocked {
				tooMany(w, wait, why+": retry after the Retry-After delay with the right token")
				return
			}
		}
		name, ok := s.authenticate(r)
		if ok && len(s.clients) > 0 {
			s.failures.succeed(key)
		}
		if !ok {
			s.failures.fail(key)
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
