package serve

import (
	"fmt"
	"math"
	"net"
	"sync"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Bounds on what a client can hold before and after it logs in. A
// connection is "idle" until it has a session channel open: it must open
// one within Options.LoginTimeout (default DefaultLoginTimeout) of
// connecting (handshake and login included) or of closing its last one, so a silent or abandoned connection costs
// seconds, not the 30-minute idle timeout. Idle connections are limited
// per address and in total; session channels — each of which may hold a
// pty — are limited per connection and, with sessions, by MaxSessions.
const (
	DefaultLoginTimeout = 10 * time.Second
	MaxIdlePerAddr      = 8
	MaxIdleTotal        = 64
	MaxChannelsPerConn  = 2
	// Windows larger than any real terminal are refused (pty requests) or
	// cut down (resizes): a session's frame grows with its window.
	MaxWindowWidth  = 1000
	MaxWindowHeight = 500
	// Failed logins an address may make at once, then one a second.
	failBurst = 10
	failRate  = 1.0
	// failTracked bounds the addresses remembered.
	failTracked = 10000
)

// guard counts connections and channels and remembers failed logins.
type guard struct {
	mu       sync.Mutex
	now      func() time.Time
	idle     map[string]int // idle connections per address
	idleAll  int
	channels int // session channels open, all connections
	failures map[string]*bucket
	logf     func(string, ...any)
	timeout  time.Duration
}

func newGuard(now func() time.Time, logf func(string, ...any), timeout time.Duration) *guard {
	return &guard{now: now, idle: map[string]int{}, failures: map[string]*bucket{}, logf: logf, timeout: timeout}
}

// bucket is a token bucket of failed logins.
type bucket struct {
	tokens float64
	last   time.Time
}

func (g *guard) refill(b *bucket) {
	now := g.now()
	b.tokens = math.Min(failBurst, b.tokens+now.Sub(b.last).Seconds()*failRate)
	b.last = now
}

// blocked says whether ip has spent its failed logins.
func (g *guard) blocked(ip string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	b := g.failures[ip]
	if b == nil {
		return false
	}
	g.refill(b)
	return b.tokens < 1
}

// fail spends one of ip's failed logins.
func (g *guard) fail(ip string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	b := g.failures[ip]
	if b == nil {
		if len(g.failures) >= failTracked {
			clear(g.failures)
		}
		b = &bucket{tokens: failBurst, last: g.now()}
		g.failures[ip] = b
	}
	g.refill(b)
	b.tokens = math.Max(0, b.tokens-1)
}

// conn is one connection's state: idle (counted against its address)
// until it opens a session channel, and closed by a timer if it stays so.
// Its fields are guarded by the guard's mutex.
type conn struct {
	net.Conn
	g        *guard
	ip       string
	channels int
	idle     bool
	closed   bool
	timer    *time.Timer
}

type connKey struct{}

// accept admits a new connection, or refuses it (nil) when its address has
// failed too often or too many connections are idle.
func (g *guard) accept(ctx ssh.Context, nc net.Conn) net.Conn {
	ip := hostOf(nc.RemoteAddr())
	if g.blocked(ip) {
		g.logf("serve: connection from %s refused: too many failed logins", ip)
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.idle[ip] >= MaxIdlePerAddr || g.idleAll >= MaxIdleTotal {
		g.logf("serve: connection from %s refused: too many connections not yet in a session", ip)
		return nil
	}
	c := &conn{Conn: nc, g: g, ip: ip}
	g.setIdle(c, true)
	c.timer = time.AfterFunc(g.timeout, c.expire)
	ctx.SetValue(connKey{}, c)
	return c
}

// expire closes a connection that is still without a session.
func (c *conn) expire() {
	c.g.mu.Lock()
	idle := c.idle && !c.closed
	c.g.mu.Unlock()
	if idle {
		c.Conn.Close()
	}
}

// setIdle moves c in or out of the idle counts; g.mu is held.
func (g *guard) setIdle(c *conn, idle bool) {
	if c.idle == idle || c.closed {
		return
	}
	c.idle = idle
	d := -1
	if idle {
		d = 1
	}
	g.idle[c.ip] += d
	g.idleAll += d
	if g.idle[c.ip] <= 0 {
		delete(g.idle, c.ip)
	}
}

func (c *conn) Close() error {
	c.g.mu.Lock()
	c.timer.Stop()
	c.g.setIdle(c, false)
	c.closed = true
	c.g.mu.Unlock()
	return c.Conn.Close()
}

// sessionChannel counts a session channel against its connection's and the
// server's bounds before the library accepts it (and may give it a pty).
func (s *Server) sessionChannel(srv *ssh.Server, sc *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	c, _ := ctx.Value(connKey{}).(*conn)
	if c == nil {
		nc.Reject(gossh.Prohibited, "cxtop serve: no connection state")
		return
	}
	g := s.guard
	g.mu.Lock()
	var refusal string
	switch {
	case c.channels >= MaxChannelsPerConn:
		refusal = fmt.Sprintf("cxtop serve allows %d sessions per connection", MaxChannelsPerConn)
	case g.channels >= s.opt.MaxSessions:
		refusal = fmt.Sprintf("cxtop serve is full (%d sessions): try again later", s.opt.MaxSessions)
	default:
		c.channels++
		g.channels++
		c.timer.Stop()
		g.setIdle(c, false)
	}
	g.mu.Unlock()
	if refusal != "" {
		s.opt.Logf("serve: channel refused addr=%s: %s", c.ip, refusal)
		nc.Reject(gossh.ResourceShortage, refusal)
		return
	}
	defer func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		c.channels--
		g.channels--
		if c.channels == 0 && !c.closed {
			g.setIdle(c, true)
			c.timer.Reset(g.timeout)
		}
	}()
	ssh.DefaultSessionHandler(srv, sc, boundedChannel{nc}, ctx)
}

// MaxEnvPerSession bounds the environment variables a session may send:
// the library keeps every one, so an endless stream of env requests would
// grow its memory without end.
const MaxEnvPerSession = 64

// boundedChannel passes a session's requests on, refusing env requests
// past MaxEnvPerSession.
type boundedChannel struct{ gossh.NewChannel }

func (b boundedChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := b.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		env := 0
		for r := range reqs {
			if r.Type == "env" {
				if env++; env > MaxEnvPerSession {
					if r.WantReply {
						r.Reply(false, nil)
					}
					continue
				}
			}
			out <- r
		}
	}()
	return ch, out, nil
}

func hostOf(a net.Addr) string {
	if a == nil {
		return ""
	}
	h, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return h
}
