package serve

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/cxtop/cxtop/model/privacy"
	"github.com/cxtop/cxtop/theme"
	"github.com/cxtop/cxtop/tui"
)

// Options configure a Server.
type Options struct {
	// Engine is shared by every session: its state, its read-only view
	// and its gate (sessions are viewers: the gate refuses them every
	// write). The caller starts and closes it.
	Engine tui.Source
	Config tui.Config
	// Listen is the TCP address to listen on (port 0: any free port).
	Listen string
	// HostKeyPath holds the server's ed25519 key; it is created (0600) on
	// first start.
	HostKeyPath string
	// AuthorizedKeysPath, when set, admits only the public keys listed
	// there (re-read at every login, so removing a line locks a key out
	// at once). Empty admits any public key: sessions are read-only.
	AuthorizedKeysPath string
	// AllowAnyKey must be set to admit any public key on an address other
	// than the loopback: without it such a listen needs AuthorizedKeysPath.
	AllowAnyKey bool
	// MaxSessions bounds the sessions open at once; more are refused with
	// a message.
	MaxSessions int
	// LoginTimeout closes a connection that has no session open that long
	// after it connected or closed its last session (default
	// DefaultLoginTimeout): a silent client costs seconds, not IdleTimeout.
	LoginTimeout time.Duration
	// IdleTimeout closes a connection on which nothing has passed, either
	// way, for that long (a dead network path); 0 means never.
	IdleTimeout time.Duration
	// Theme, when set, is every session's theme; empty picks one per
	// session (see themeFor).
	Theme string
	// Window is the span of the gauges (default 24h, as the console).
	Window time.Duration
	// Mask, when set, hides personal data in every session (the default
	// for viewers; [privacy] viewers = "unmasked" leaves it nil).
	Mask *privacy.Masker
	// Logf receives one line per session start and end (default: none).
	Logf func(format string, args ...any)
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Limits of the options, shared by Validate and the command's help.
const (
	MaxSessionsLimit = 1000
	MinIdleTimeout   = time.Second
	MaxIdleTimeout   = 7 * 24 * time.Hour
)

// Validate checks the options a user typed; each error names the option
// and says what to use instead.
func (o Options) Validate() error {
	if err := checkListen(o.Listen); err != nil {
		return err
	}
	if o.AuthorizedKeysPath == "" && !o.AllowAnyKey && !Loopback(o.Listen) {
		return fmt.Errorf("--listen %s is reachable from other machines and any public key could watch: name the keys that may with --authorized-keys FILE, or pass --allow-any-key", o.Listen)
	}
	if o.MaxSessions < 1 || o.MaxSessions > MaxSessionsLimit {
		return fmt.Errorf("--max-sessions %d is out of range: use 1 to %d", o.MaxSessions, MaxSessionsLimit)
	}
	if o.IdleTimeout != 0 && (o.IdleTimeout < MinIdleTimeout || o.IdleTimeout > MaxIdleTimeout) {
		return fmt.Errorf("--idle-timeout %s is out of range: use 0 (never) or %s to %s", o.IdleTimeout, MinIdleTimeout, MaxIdleTimeout)
	}
	if o.Theme != "" && !knownTheme(o.Theme) {
		return fmt.Errorf("--theme %q is not known: use one of %v", o.Theme, theme.Names)
	}
	if o.HostKeyPath == "" {
		return fmt.Errorf("--host-key is empty: name the file that holds (or will hold) the host key")
	}
	return nil
}

// checkListen accepts HOST:PORT with a numeric port; an empty host means
// every interface, which must be asked for explicitly (":2222").
func checkListen(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q is not HOST:PORT (like 127.0.0.1:2222, or :2222 for every interface)", addr)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("--listen %q: port %q is not a number from 0 to 65535", addr, port)
	}
	if host != "" && net.ParseIP(host) == nil && !validHostname(host) {
		return fmt.Errorf("--listen %q: host %q is not an IP address or host name", addr, host)
	}
	return nil
}

// Loopback reports whether a HOST:PORT listens on the loopback interface
// only (cxtop hub asks the same of its --listen).
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func validHostname(h string) bool {
	if len(h) > 253 {
		return false
	}
	for _, r := range h {
		if !(r == '.' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func knownTheme(name string) bool {
	for _, n := range theme.Names {
		if n == name {
			return true
		}
	}
	return false
}
