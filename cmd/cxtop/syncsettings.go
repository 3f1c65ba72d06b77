package main

import (
	"time"

	"github.com/cxtop/cxtop/store/replica"
)

// fillSync completes what the flags left open the way every command that
// syncs does: the remote from $CXTOP_REMOTE or [sync] remote (when
// fromEnv; serve takes it only from its flag), the source from [sync]
// source or "hub", the token from $CXTOP_TOKEN or [sync] token.
func (a *app) fillSync(s syncSettings, fromEnv bool) syncSettings {
	if s.remote == "" && fromEnv {
		s.remote = a.getenv("CXTOP_REMOTE")
		if s.remote == "" {
			s.remote = a.cfg.Sync.Remote
		}
	}
	if s.source == "" {
		s.source = a.cfg.Sync.Source
	}
	if s.source == "" {
		s.source = "hub"
	}
	if s.token == "" {
		s.token = a.getenv("CXTOP_TOKEN")
	}
	if s.token == "" {
		s.token = a.cfg.Sync.Token
	}
	if s.timeout == 0 {
		s.timeout = replica.DefaultRequestTimeout
	}
	return s
}

// syncInterval is the time between syncs once caught up: [sync] interval,
// else a minute for Zendesk (its incremental export allows 10 requests a
// minute), else 5 s.
func (a *app) syncInterval(source string) time.Duration {
	switch {
	case a.cfg.Sync.Interval.Duration > 0:
		return a.cfg.Sync.Interval.Duration
	case source == "zendesk":
		return time.Minute
	}
	return 5 * time.Second
}
