package config

import (
	"fmt"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/theme"
)

// Serve is the [serve] section: the defaults of `cxtop serve`'s flags, so a
// long-running server's settings can live in the file. A flag given on the
// command line wins.
//
//	[serve]
//	listen          = "127.0.0.1:2222"
//	authorized_keys = "/home/ops/.ssh/cxtop_watchers"
//	max_sessions    = 64
//	idle_timeout    = "15m"
//	theme           = "dark"
type Serve struct {
	Listen         string          `toml:"listen"`
	HostKey        string          `toml:"host_key"`
	AuthorizedKeys string          `toml:"authorized_keys"`
	MaxSessions    int             `toml:"max_sessions"`
	IdleTimeout    *model.Duration `toml:"idle_timeout"`
	Theme          string          `toml:"theme"`
}

// Limits of [serve], the same as the flags'.
const (
	maxSessionsLimit = 1000
	maxIdleTimeout   = 7 * 24 * time.Hour
)

func (s Serve) check() error {
	if s.MaxSessions < 0 || s.MaxSessions > maxSessionsLimit {
		return fmt.Errorf("serve.max_sessions %d: use 1 to %d", s.MaxSessions, maxSessionsLimit)
	}
	if s.IdleTimeout != nil {
		if d := s.IdleTimeout.Duration; d != 0 && (d < time.Second || d > maxIdleTimeout) {
			return fmt.Errorf("serve.idle_timeout %s: use 0 (never) or 1s to 168h", d)
		}
	}
	if s.Theme != "" {
		known := false
		for _, n := range theme.Names {
			known = known || n == s.Theme
		}
		if !known {
			return fmt.Errorf("serve.theme %q: use one of %v", s.Theme, theme.Names)
		}
	}
	return nil
}
