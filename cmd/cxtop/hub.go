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
)

func (a *app) hubCommand() *cobra.Command {
	var (
		listen   string
		token    string
		rps      float64
		burst    int
		simulate float64
		seed     uint64
	)
	cmd := &cobra.Command{
		Use:   "hub",
		Short: "Serve a store as the sync API that cxtop clients pull from",
		Long: `Serve the store at --db over HTTP as the cxtop hub (docs/sync-api.md): clients pull
changes by cursor, push triage actions, and survey tools ingest feedback and events. The hub
owns its store; fill it with 'cxtop simulate --db F' or --simulate. Stops cleanly on Ctrl-C or
SIGTERM.`,
		Example: "  cxtop hub --db hub.db --listen 127.0.0.1:7080\n  CXTOP_HUB_TOKEN=s3cret cxtop hub --db hub.db --simulate 20",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if rps < 0 {
				return usagef("--rps %g is negative: use 0 for no limit", rps)
			}
			if simulate < 0 || simulate > 10000 {
				return usagef("--simulate %g is out of range: use 0 to 10000 records a second", simulate)
			}
			if token == "" {
				token = a.getenv("CXTOP_HUB_TOKEN")
			}
			eo := a.engineOptions()
			hubLog := func(f string, args ...any) { fmt.Fprintf(a.io.err, "cxtop hub: "+f+"\n", args...) }
			// The hub is the remote: its engine runs the automations and
			// queues the contact requests its replicas do not.
			eo.Logf = hubLog
			eng, err := engine.Open(a.dbPath, a.storeOptions(store.Options{Create: true}), eo)
			if err != nil {
				return err
			}
			defer stopEngine(eng, hubLog)
			h, err := hub.New(eng.Store(), hub.Options{Token: token, Taxonomy: a.cfg.Taxonomy, Rate: rps, Burst: burst})
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
			auth := "no token"
			if token != "" {
				auth = "bearer token required"
			}
			err = hub.ListenAndServe(ctx, listen, h.Handler(), func(addr net.Addr) {
				fmt.Fprintf(a.io.err, "cxtop hub: serving %s on http://%s (%s)\n", a.dbPath, addr, auth)
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
	fl.StringVar(&token, "token", "", "require this bearer token (default $CXTOP_HUB_TOKEN)")
	fl.Float64Var(&rps, "rps", 0, "answer 429 past this many requests a second (0: no limit)")
	fl.IntVar(&burst, "burst", 0, "requests allowed at once past --rps (default: --rps)")
	fl.Float64Var(&simulate, "simulate", 0, "append this many live simulated records a second")
	fl.Uint64Var(&seed, "seed", 1, "random seed of --simulate")
	return cmd
}
