package main

import (
	"context"
	"fmt"
	"net"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/sim"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
	"github.com/cxtop/cxtop/store/hub"
	"github.com/cxtop/cxtop/store/replica"
)

func (a *app) hubCommand() *cobra.Command {
	var (
		listen          string
		token           string
		tokenFile       string
		insecureNoToken bool
		rps             float64
		burst           int
		maxConns        int
		simulate        float64
		seed            uint64
		source          string
		upstream        syncSettings
	)
	cmd := &cobra.Command{
		Use:   "hub",
		Short: "Serve a store as the sync API that cxtop clients pull from",
		Long: `Serve the store at --db over HTTP as the cxtop hub (docs/sync-api.md): clients pull
changes by cursor, push triage actions, and survey tools ingest feedback and events. The hub
owns its store; fill it with 'cxtop simulate --db F' or --simulate, or replicate a Zendesk account
with --source zendesk --remote https://SUBDOMAIN.zendesk.com: the hub then syncs Zendesk once for
every console, serves it, and forwards the consoles' triage actions to Zendesk (its token comes
from --remote-token-file, $CXTOP_ZENDESK_TOKEN, or [sync] token/token_file; --remote-token
works too, but other users see it in ps). The hub delivers the contact requests
its automations queue when [contacts] names a driver. Stops cleanly on Ctrl-C or SIGTERM.`,
		Example: "  cxtop hub --db hub.db --listen 127.0.0.1:7080\n  CXTOP_HUB_TOKEN=s3cret cxtop hub --db hub.db --simulate 20\n" +
			"  CXTOP_ZENDESK_TOKEN=me@acme.com/token:XXXX cxtop hub --db hub.db --source zendesk --remote https://acme.zendesk.com",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Written so that NaN fails too: every comparison with NaN is false.
			if !(rps >= 0 && rps <= 1e6) {
				return usagef("--rps %g is out of range: use 0 (no limit) to 1000000 requests a second", rps)
			}
			if maxConns < 1 || maxConns > 100000 {
				return usagef("--max-conns %d is out of range: use 1 to 100000 connections", maxConns)
			}
			if !(simulate >= 0 && simulate <= 10000) {
				return usagef("--simulate %g is out of range: use 0 to 10000 records a second", simulate)
			}
			auth, err := resolveHubAuth(token, tokenFile, a.getenv)
			if err != nil {
				return err
			}
			if err := checkHubListen(listen, auth, insecureNoToken); err != nil {
				return err
			}
			switch source {
			case "":
			case "zendesk":
				if upstream.remote == "" {
					return usagef("--source zendesk needs --remote https://SUBDOMAIN.zendesk.com")
				}
				if simulate > 0 {
					return usagef("--simulate and --source zendesk exclude each other: the hub's records come from Zendesk")
				}
			default:
				return usagef("--source %q is not known: use zendesk (or leave it out for a hub of its own store)", source)
			}
			eo := a.engineOptions()
			hubLog := func(f string, args ...any) { fmt.Fprintf(a.io.err, "cxtop hub: "+f+"\n", args...) }
			eo.Logf = hubLog
			if source == "zendesk" {
				if upstream.token == "" && upstream.tokenFile == "" {
					upstream.token = a.getenv("CXTOP_ZENDESK_TOKEN")
				}
				upstream.source, upstream.tokenFlag = "zendesk", "--remote-token"
				if upstream, err = a.fillSync(upstream, false); err != nil {
					return err
				}
				remote, err := a.newRemote(upstream)
				if err != nil {
					return err
				}
				// One Zendesk sync for every console of this hub, in its
				// engine; the hub stays the origin of its contact requests.
				eo.Remote, eo.Origin = remote, true
				eo.Replica = replica.Options{Source: "zendesk", Taxonomy: a.cfg.Taxonomy, Interval: a.syncInterval("zendesk"), Logf: hubLog}
			}
			// The hub is the remote: its engine runs the automations and
			// queues the contact requests its replicas do not.
			eng, err := engine.Open(a.dbPath, a.storeOptions(store.Options{Create: true}), eo)
			if err != nil {
				return err
			}
			defer stopEngine(eng, hubLog)
			st := eng.Store()
			hopt := hub.Options{Token: auth.token, Clients: auth.clients, Taxonomy: a.cfg.Taxonomy, Rate: rps, Burst: burst}
			if up := eng.Client(); up != nil {
				hopt.Forward, hopt.Forwarded = true, up.Kick
			}
			h, err := hub.New(st, hopt)
			if err != nil {
				return err
			}
			dl, err := a.deliverer(st)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			simErr := make(chan error, 1)
			if simulate > 0 {
				live := sim.NewLive(seed, a.cfg.Taxonomy, "H")
				go func() {
					if err := h.Simulate(ctx, time.Second, func(from, to time.Time) []model.Record { return live.Step(from, to, simulate) }); err != nil {
						simErr <- err
						cancel()
					}
				}()
			}
			eng.Start(ctx)
			// The rules' webhook and hook actions, once per firing.
			defer a.runAlertActions(ctx, st, hubLog)()
			if dl != nil {
				// The hub is the origin of its contact requests: it alone sends them.
				delivered := make(chan struct{})
				defer func() { cancel(); <-delivered }()
				go func() {
					defer close(delivered)
					dl.Run(ctx, 10*time.Second)
				}()
			}
			authLine := "no token: anyone who can reach it may call it"
			if !auth.none() {
				authLine = "bearer token required"
			}
			lim := hub.ConnLimits{Total: maxConns, Refused: refusedConns(hubLog)}
			err = hub.ListenAndServe(ctx, listen, h.Handler(), lim, func(addr net.Addr) {
				fmt.Fprintf(a.io.err, "cxtop hub: serving %s on http://%s (%s)\n", a.dbPath, addr, authLine)
			})
			select {
			case serr := <-simErr:
				return serr
			default:
				return err
			}
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&listen, "listen", "127.0.0.1:7080", "address to listen on (port 0: any free port)")
	fl.StringVar(&token, "token", "", "require this bearer token; visible to other users in ps: prefer --token-file or $CXTOP_HUB_TOKEN")
	fl.StringVar(&tokenFile, "token-file", "", "read the token from this file (mode 0600): one token, or one NAME TOKEN line per client")
	fl.BoolVar(&insecureNoToken, "insecure-no-token", false, "serve a non-loopback --listen without any token")
	fl.Float64Var(&rps, "rps", 0, "answer 429 past this many requests a second (0: no limit)")
	fl.IntVar(&burst, "burst", 0, "requests allowed at once past --rps (default: --rps)")
	fl.IntVar(&maxConns, "max-conns", hub.DefaultMaxConns, fmt.Sprintf("HTTP connections open at once, %d at most from one address; more are closed at once", hub.MaxConnsPerAddr))
	fl.Float64Var(&simulate, "simulate", 0, "append this many live simulated records a second")
	fl.Uint64Var(&seed, "seed", 1, "random seed of --simulate")
	fl.StringVar(&source, "source", "", "zendesk: replicate the Zendesk account at --remote and forward triage to it")
	fl.StringVar(&upstream.remote, "remote", "", "with --source zendesk: https://SUBDOMAIN.zendesk.com")
	fl.StringVar(&upstream.token, "remote-token", "", "Zendesk token, EMAIL/token:API_TOKEN or OAuth; visible to other users in ps: prefer --remote-token-file or $CXTOP_ZENDESK_TOKEN")
	fl.StringVar(&upstream.tokenFile, "remote-token-file", "", "read the Zendesk token from this file, which only you may read (default $CXTOP_ZENDESK_TOKEN or [sync] token/token_file)")
	fl.Int64Var(&upstream.since, "since", 0, "with --source zendesk: Unix time the first export starts from")
	return cmd
}
