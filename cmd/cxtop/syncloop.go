package main

import (
	"context"
	"fmt"
	"time"

	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/deliver"
	"github.com/cxtop/cxtop/store/replica"
	"github.com/cxtop/cxtop/tui"
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

// syncLoop is a sync loop running in the background with the alert rules
// and automations after each committed page (as a replica: its remote
// queues the contact requests).
type syncLoop struct {
	client *replica.Client
	cancel context.CancelFunc
	ended  chan struct{} // closed when the sync loop returned
	done   chan struct{} // closed when the alert runner returned too
	err    error         // what stopped the sync loop; nil when ctx ended
}

// startSync starts a sync loop on st until ctx ends or Stop is called.
func startSync(ctx context.Context, st *store.Store, remote replica.Remote, opt replica.Options, alerts alert.Settings, actions *deliver.AlertActions) *syncLoop {
	ctx, cancel := context.WithCancel(ctx)
	l := &syncLoop{client: replica.New(st, remote, opt), cancel: cancel,
		ended: make(chan struct{}), done: make(chan struct{})}
	logf := opt.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	runner := make(chan struct{})
	go func() {
		defer close(runner)
		if actions != nil {
			// The rules' webhook and hook actions, once per firing, here
			// and not in each console session.
			acted := make(chan struct{})
			go func() { defer close(acted); actions.Run(ctx) }()
			defer func() { <-acted }()
		}
		alertRunner(st, alerts, true, logf).Run(ctx)
	}()
	go func() {
		if err := l.client.Run(ctx); err != nil && ctx.Err() == nil {
			l.err = err
		}
		close(l.ended)
		<-runner
		close(l.done)
	}()
	return l
}

// Ended is closed when the sync loop stopped by itself (see Stop's error).
func (l *syncLoop) Ended() <-chan struct{} { return l.ended }

// Stop ends the loop and the alert runner, waits for both, and returns
// what stopped the sync loop (nil when it was asked to stop).
func (l *syncLoop) Stop() error {
	l.cancel()
	<-l.done
	return l.err
}

// syncLine describes a running sync loop for the console's status bar:
// the records pulled until it first catches up (a first sync of a large
// history takes a while, and an empty queue should not look final), then
// the lag and what is pending.
func syncLine(c *replica.Client) func() string {
	return func() string {
		s := c.Status()
		if s.CaughtUpAt.IsZero() {
			return fmt.Sprintf("first sync: %d records so far", s.Records)
		}
		lag := s.Lag(time.Now())
		lagText := tui.ShortDuration(lag)
		if lag < time.Minute {
			lagText = fmt.Sprintf("%ds", int(lag/time.Second))
		}
		line := fmt.Sprintf("sync lag %s, %d pending", lagText, s.Pending)
		if s.Quarantined > 0 {
			// Records the sync could not map: `cxtop sync status` lists them.
			line += fmt.Sprintf(", %d quarantined", s.Quarantined)
		}
		if s.LastError != "" {
			line += ", retrying"
		}
		return line
	}
}
