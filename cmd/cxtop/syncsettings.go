package main

import (
	"time"

	"github.com/cxtop/cxtop/cmd/cxtop/config"
	"github.com/cxtop/cxtop/store/replica"
)

// fillSync completes what the flags left open the way every command that
// syncs does: the remote from $CXTOP_REMOTE or [sync] remote (when
// fromEnv; serve takes it only from its flag), the source from [sync]
// source or "hub", the token from the token flag or its file, else
// $CXTOP_TOKEN, else [sync] token or token_file. A token file must be
// private (config.ReadSecretFile): a token on the command line is visible
// to every user of the machine in ps, one in a file or the environment is not.
func (a *app) fillSync(s syncSettings, fromEnv bool) (syncSettings, error) {
	s = a.fillSyncTarget(s, fromEnv)
	flag := s.tokenFlag
	if flag == "" {
		flag = "--token"
	}
	switch {
	case s.token != "" && s.tokenFile != "":
		return s, usagef("%s and %s-file exclude each other: keep the token in the file", flag, flag)
	case s.tokenFile != "":
		tok, err := config.ReadSecretFile(flag+"-file", s.tokenFile)
		if err != nil {
			return s, err
		}
		s.token = tok
	}
	if s.token == "" {
		s.token = a.getenv("CXTOP_TOKEN")
	}
	if s.token == "" {
		s.token = a.cfg.Sync.Token
	}
	if s.token == "" && a.cfg.Sync.TokenFile != "" {
		tok, err := config.ReadSecretFile("sync.token_file", a.cfg.Sync.TokenFile)
		if err != nil {
			return s, err
		}
		s.token = tok
	}
	return s, nil
}

// fillSyncTarget completes the remote, the source and the timeout as
// fillSync does, and leaves the token alone: for the commands that reach
// no network (sync retry-quarantine), which must not fail on a token
// file they would never use.
func (a *app) fillSyncTarget(s syncSettings, fromEnv bool) syncSettings {
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
