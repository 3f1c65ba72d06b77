package main

import (
	"fmt"
	"log"
	"net"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
	"github.com/cxtop/cxtop/store/replica"
	"github.com/cxtop/cxtop/tui/serve"
)

func (a *app) serveCommand() *cobra.Command {
	var (
		opt    serve.Options
		set    syncSettings
		rotate rotateFlags
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the console read-only over SSH to many watchers",
		Long: `Listen for SSH logins and open the console for each one, read-only: every triage key
says read-only. Each session gets colours for its own terminal; --theme fixes one theme
for all, and a client can ask for one with ssh -o SetEnv=CXTOP_THEME=light.

Any public key may log in unless --authorized-keys names the keys that may (the file is
re-read at every login). The host key is made on first start (mode 0600).

Without --remote the store is opened read-only and shows what it holds. A store that
another cxtop holds for writing cannot be opened at all: to watch a live store, let serve
sync it itself with --remote (and --source, --token, as for cxtop sync).`,
		Example: "  cxtop serve --db cx.db\n" +
			"  cxtop serve --listen :2222 --authorized-keys ~/.ssh/authorized_keys --remote http://127.0.0.1:7080\n" +
			"  ssh -p 2222 127.0.0.1",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a.serveDefaults(cmd, &opt)
			if opt.HostKeyPath == "" {
				dir := stateDir(a.getenv)
				if dir == "" {
					return usagef("no home directory (HOME is not set): pass --host-key FILE, or set HOME or XDG_STATE_HOME")
				}
				opt.HostKeyPath = filepath.Join(dir, "ssh_host_ed25519")
			}
			if err := opt.Validate(); err != nil {
				return usagef("%v", err)
			}
			if err := rotate.check(cmd, a.cfg.Snapshot, a.dbPath); err != nil {
				return err
			}
			var remote replica.Remote
			switch {
			case set.remote != "":
				var err error
				if set, err = a.fillSync(set, false); err != nil {
					return err
				}
				if remote, err = a.newRemote(set); err != nil {
					return err
				}
			case set.source != "" || set.token != "" || set.tokenFile != "":
				return usagef("--source, --token and --token-file need --remote: the URL to sync from while serving")
			}
			eo := a.engineOptions()
			logger := log.New(a.io.err, "", log.LstdFlags)
			eo.Remote, eo.Logf = remote, logger.Printf
			eo.Replica = replica.Options{Source: set.source, Taxonomy: a.cfg.Taxonomy,
				Interval: a.syncInterval(set.source), Logf: logger.Printf}
			// A sync writes; a plain watch never needs to.
			eng, err := engine.Open(a.dbPath, a.storeOptions(store.Options{Create: remote != nil, ReadOnly: remote == nil}), eo)
			if err != nil {
				return err
			}
			// However serve ends, the engine (and its sync loop) stops
			// before the store closes.
			defer stopEngine(eng, func(format string, args ...any) { logger.Printf("serve: "+format, args...) })
			opt.Engine, opt.Config, opt.Logf = eng, a.cfg.TUI(), logger.Printf
			if opt.Mask, err = a.sessionMask(false, false); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			eng.Start(ctx)
			stopRotate := rotate.start(ctx, eng.Store(), a.dbPath, logger.Printf)
			if eng.CanWrite() {
				defer a.runAlertActions(ctx, eng.Store(), logger.Printf)()
			}
			defer stopRotate()
			srv, err := serve.New(opt)
			if err != nil {
				return err
			}
			addr, err := srv.Listen()
			if err != nil {
				return err
			}
			fmt.Fprintf(a.io.err, "cxtop serve: listening on %s (ssh -p %s %s), host key %s, %s\n",
				addr, port(addr), host(addr), srv.Fingerprint(), srv.Auth())
			return srv.Serve(ctx)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opt.Listen, "listen", "127.0.0.1:2222", "address to listen on (:2222 for every interface, port 0 for any free port)")
	fl.StringVar(&opt.HostKeyPath, "host-key", "", "host key file, made on first start (default "+filepath.Join(stateDir(a.getenv), "ssh_host_ed25519")+")")
	fl.StringVar(&opt.AuthorizedKeysPath, "authorized-keys", "", "admit only the public keys in this file, with their from=, expiry-time and no-pty options (default: any public key, read-only)")
	fl.BoolVar(&opt.AllowAnyKey, "allow-any-key", false, "admit any public key on a non-loopback --listen (without it, such a listen needs --authorized-keys)")
	fl.IntVar(&opt.MaxSessions, "max-sessions", 32, fmt.Sprintf("sessions open at once, more are refused (1–%d)", serve.MaxSessionsLimit))
	fl.DurationVar(&opt.IdleTimeout, "idle-timeout", 30*time.Minute, "close a connection with no traffic either way for this long (0: never)")
	fl.StringVar(&opt.Theme, "theme", "", "every session's theme: dark, light or high-contrast (default: per terminal, else dark)")
	fl.StringVar(&set.remote, "remote", "", "sync the store from this remote while serving (as cxtop sync --remote)")
	fl.StringVar(&set.source, "source", "", "with --remote: hub or zendesk (default [sync] source or hub)")
	fl.StringVar(&set.token, "token", "", "with --remote: the token; visible to other users in ps: prefer --token-file or $CXTOP_TOKEN")
	fl.StringVar(&set.tokenFile, "token-file", "", "with --remote: read the token from this file, which only you may read (default $CXTOP_TOKEN or [sync] token/token_file)")
	rotate.add(cmd)
	return cmd
}

// serveDefaults fills the flags not given on the command line from the
// [serve] section of the config file.
func (a *app) serveDefaults(cmd *cobra.Command, opt *serve.Options) {
	c, fl := a.cfg.Serve, cmd.Flags()
	if c.Listen != "" && !fl.Changed("listen") {
		opt.Listen = c.Listen
	}
	if c.HostKey != "" && !fl.Changed("host-key") {
		opt.HostKeyPath = c.HostKey
	}
	if c.AuthorizedKeys != "" && !fl.Changed("authorized-keys") {
		opt.AuthorizedKeysPath = c.AuthorizedKeys
	}
	if c.MaxSessions != 0 && !fl.Changed("max-sessions") {
		opt.MaxSessions = c.MaxSessions
	}
	if c.IdleTimeout != nil && !fl.Changed("idle-timeout") {
		opt.IdleTimeout = c.IdleTimeout.Duration
	}
	if c.Theme != "" && !fl.Changed("theme") {
		opt.Theme = c.Theme
	}
}

func port(addr net.Addr) string {
	_, p, _ := net.SplitHostPort(addr.String())
	return p
}

// host is what a watcher types: the loopback or the machine's address
// when the server listens on every interface.
func host(addr net.Addr) string {
	h, _, _ := net.SplitHostPort(addr.String())
	if ip := net.ParseIP(h); ip != nil && ip.IsUnspecified() {
		return "HOST"
	}
	return h
}
