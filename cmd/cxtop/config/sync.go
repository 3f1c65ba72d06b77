package config

import (
	"fmt"
	"net/url"
	"time"

	"github.com/cxtop/cxtop/model"
)

// Sync is the [sync] section: where `cxtop sync` (and the console's, serve's
// and the demo's sync loop) pulls from. Flags and CXTOP_* variables override
// it. The token is a secret: cxtop never prints or logs it. token_file
// names a private file (mode 0600) holding it, so the config itself may be
// shared; a config holding token should be mode 0600 too.
type Sync struct {
	Remote    string         `toml:"remote"`     // http(s) URL of the hub or the Zendesk account
	Source    string         `toml:"source"`     // "hub" (default) or "zendesk"
	Token     string         `toml:"token"`      // bearer token, or EMAIL/token:API_TOKEN for Zendesk
	TokenFile string         `toml:"token_file"` // or a private file holding it
	Interval  model.Duration `toml:"interval"`   // time between syncs once caught up (default 5s, Zendesk 1m)
}

// Sources are the remotes cxtop syncs with.
var Sources = []string{"hub", "zendesk"}

func (s Sync) check() error {
	switch s.Source {
	case "", "hub", "zendesk":
	default:
		return fmt.Errorf("sync.source %q: use hub or zendesk", s.Source)
	}
	if s.Remote != "" {
		u, err := url.Parse(s.Remote)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("sync.remote %q: use an http:// or https:// URL", s.Remote)
		}
	}
	if s.Token != "" && s.TokenFile != "" {
		return fmt.Errorf("sync.token and sync.token_file exclude each other: keep the token in the file")
	}
	if d := s.Interval.Duration; d != 0 && (d < 100*time.Millisecond || d > 24*time.Hour) {
		return fmt.Errorf("sync.interval %s: use 100ms to 24h", d)
	}
	return nil
}
