package main

import (
	"fmt"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
	"github.com/cxtop/cxtop/store/replica"
)

// syncSettings is where to sync from, resolved from flags over CXTOP_*
// variables over the [sync] section of the config.
type syncSettings struct {
	remote, source, token string
	// tokenFile holds the token instead of the flag; tokenFlag names the
	// token's flag in errors (default --token).
	tokenFile, tokenFlag string
	since                int64
	timeout              time.Duration
}

// newRemote builds the adapter for the source. A bad URL is a usage error.
func (a *app) newRemote(s syncSettings) (replica.Remote, error) {
	var r replica.Remote
	var err error
	switch s.source {
	case "hub":
		r, err = replica.NewHubRemote(s.remote, s.token, s.timeout)
	case "zendesk":
		r, err = replica.NewZendeskRemote(s.remote, s.token, s.since, a.cfg.Taxonomy, s.timeout)
	default:
		return nil, usagef("--source %q is not known: use hub or zendesk", s.source)
	}
	if err != nil {
		return nil, usagef("--remote: %v", err)
	}
	return r, nil
}

func (a *app) syncCommand() *cobra.Command {
	var (
		set      syncSettings
		once     bool
		verbose  bool
		interval time.Duration
		pageSize int
		retries  int
		rotate   rotateFlags
	)
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Pull changes from the remote into the store and push triage actions",
		Long: `Keep the store at --db in step with a remote: a cxtop hub (docs/sync-api.md) or a Zendesk
account (its incremental ticket export). Each page commits in one transaction with its
cursor, so an interrupted sync resumes where it stopped with nothing lost or counted twice.
The token comes from --token-file (a file only you may read), $CXTOP_TOKEN, or [sync] token
or token_file in the config; it is never printed. --token works too, but other users of the
machine see it in ps. With --once, exit 0 when caught up, or 1 with one line saying why not.`,
		Example: "  cxtop sync --db cx.db --remote http://127.0.0.1:7080 --once\n" +
			"  cxtop sync --source zendesk --remote https://acme.zendesk.com --token-file ~/.config/cxtop/zendesk.token",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if set.timeout <= 0 {
				return usagef("--timeout %s must be positive", set.timeout)
			}
			var err error
			if set, err = a.fillSync(set, true); err != nil {
				return err
			}
			if set.remote == "" {
				return usagef("--remote is required: the hub's URL (http://127.0.0.1:7080) or https://SUBDOMAIN.zendesk.com, or [sync] remote in the config")
			}
			if !cmd.Flags().Changed("interval") {
				interval = a.syncInterval(set.source)
			}
			if interval < 100*time.Millisecond || interval > 24*time.Hour {
				return usagef("--interval %s is out of range: use 100ms to 24h", interval)
			}
			if pageSize < 1 || pageSize > 5000 {
				return usagef("--page-size %d is out of range: use 1 to 5000", pageSize)
			}
			if retries < 0 || retries > 100 {
				return usagef("--retries %d is out of range: use 0 to 100", retries)
			}
			if once && rotate.every != 0 {
				return usagef("--snapshot-every needs a continuous sync: drop --once, or run 'cxtop snapshot' after it")
			}
			if err := rotate.check(cmd, a.cfg.Snapshot, a.dbPath); err != nil {
				return err
			}
			remote, err := a.newRemote(set)
			if err != nil {
				return err
			}
			alerts, err := a.alertSettings()
			if err != nil {
				return err
			}
			opened, err := a.openStore(true)
			if err != nil {
				return err
			}
			defer opened.Close()
			st := opened.Store
			logf := func(format string, args ...any) {
				fmt.Fprintln(a.io.err, "cxtop "+model.Sanitize(fmt.Sprintf(format, args...)))
			}
			opt := replica.Options{Source: set.source, Taxonomy: a.cfg.Taxonomy, PageSize: pageSize, Interval: interval, Attempts: retries + 1}
			if verbose || !once {
				opt.Logf = logf
			}
			if verbose {
				opt.Progress = func(s replica.Status) { logf("sync: page committed: %d records so far", s.Records) }
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			if !once {
				logf("sync: syncing %s with %s every %s (Ctrl-C stops)", a.dbPath, remote.Name(), interval)
				eo := a.engineOptions()
				eo.Remote, eo.Replica, eo.Logf = remote, opt, logf
				eng := engine.New(st, eo)
				eng.Start(ctx)
				defer a.runAlertActions(ctx, st, logf)()
				stopRotate := rotate.start(ctx, st, a.dbPath, logf)
				defer stopRotate()
				select {
				case <-ctx.Done():
				case <-eng.SyncEnded():
				}
				eng.Close()
				return eng.SyncErr()
			}
			// No engine for one pass: the socket is opened here.
			defer a.serveControl(st, func(f string, args ...any) { logf("sync: "+f, args...) })()
			// One pass pulls in bulk (the history, on a first sync): the
			// collector runs less often (store.BulkGC says why).
			defer store.BulkGC()()
			// A first pass into an empty store is a bulk load: the indexes
			// and rollups are built once at its end (store/bulk_load.go).
			opt.BulkLoad = true
			c := replica.New(st, remote, opt)
			before := c.Status()
			if err := c.SyncOnce(ctx); err != nil {
				if ctx.Err() != nil {
					return fmt.Errorf("sync with %s interrupted: run it again to resume", remote.Name())
				}
				return fmt.Errorf("sync: %w", err)
			}
			if err := evaluateOnce(st, alerts, time.Now().UTC(), a.io.err); err != nil {
				return fmt.Errorf("sync: alerts: %w", err)
			}
			s := c.Status()
			fmt.Fprintf(a.io.err, "cxtop sync: caught up with %s: %d records pulled, %d deleted, %d actions pushed, %d conflicts, %d pending, %d quarantined\n",
				remote.Name(), s.Records-before.Records, s.Deleted-before.Deleted, s.Pushed-before.Pushed, s.Conflicts-before.Conflicts, s.Pending, s.Quarantined)
			return nil
		},
	}
	cmd.AddCommand(a.syncStatusCommand(), a.syncRetryQuarantineCommand())
	fl := cmd.Flags()
	fl.StringVar(&set.remote, "remote", "", "the remote's URL (default $CXTOP_REMOTE or [sync] remote)")
	fl.StringVar(&set.source, "source", "", "hub or zendesk (default [sync] source or hub)")
	fl.StringVar(&set.token, "token", "", "bearer token, or EMAIL/token:API_TOKEN for Zendesk; visible to other users in ps: prefer --token-file or $CXTOP_TOKEN")
	fl.StringVar(&set.tokenFile, "token-file", "", "read the token from this file, which only you may read (default $CXTOP_TOKEN or [sync] token/token_file)")
	fl.Int64Var(&set.since, "since", 0, "Zendesk: Unix time the first export starts from")
	fl.DurationVar(&set.timeout, "timeout", replica.DefaultRequestTimeout, "time limit of one request")
	fl.BoolVar(&once, "once", false, "sync until caught up, then exit")
	fl.DurationVar(&interval, "interval", 5*time.Second, "time between syncs once caught up (Zendesk: default 1m)")
	fl.IntVar(&pageSize, "page-size", 2000, "records per page (1–5000)")
	fl.IntVar(&retries, "retries", 5, "retries of a failing request or page before giving up (0–100)")
	fl.BoolVarP(&verbose, "verbose", "v", false, "report retries and every committed page on stderr")
	rotate.add(cmd)
	return cmd
}
