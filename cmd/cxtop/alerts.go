package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
	"github.com/cxtop/cxtop/store/replica"
	"github.com/cxtop/cxtop/tui"
)

func (a *app) alertsCommand() *cobra.Command {
	var (
		atFlag string
		all    bool
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "alerts",
		Short: "Evaluate the alert rules and list the alerts",
		Long: `Run the automations on what changed since they last ran (escalate chatbot conversations
rated below 3 stars, follow up NPS detractors, ask for a survey when a ticket is done, route
new tickets), evaluate the alert rules of the config's [alerts] section (defaults: CSAT drop
> 5% vs the previous day, form abandonment > 25%, SLA compliance < 95%, NPS below target,
tickets open longer than 10 days, detractors without a follow-up contact within 24h, chatbot
conversations rated below 3 stars) as of now, store what fired or resolved, and list the
active alerts, newest first (--all adds resolved ones). With --at it is a dry run: the rules
are evaluated as of that time and the alerts listed as they would be then, and nothing is
written (the stored lifecycle only moves forward with the clock; no automation runs). When another cxtop holds the store
for writing, it runs this command (docs/control-socket.md); when one holds it read-only, the
stored alerts are listed without evaluating (see docs/alerts.md).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			now, err := timeFlag("--at", atFlag, time.Now().UTC())
			if err != nil {
				return err
			}
			set, err := a.alertSettings()
			if err != nil {
				return err
			}
			if atFlag != "" {
				return a.previewAlerts(cmd, set, now, all, asJSON)
			}
			s, err := a.open(store.Options{})
			if errors.Is(err, store.ErrInUse) {
				// Held read-only (a viewer, serve without --remote): list.
				s, err = a.openStore(false)
				if err == nil {
					fmt.Fprintln(a.io.err, "cxtop: the store is in use by another cxtop: listing the alerts it stored, without evaluating")
				}
			}
			if err != nil {
				return err
			}
			defer s.Close()
			switch {
			case a.held != nil && a.held.eng != nil:
				// Run for a control-socket client: the holder's engine
				// owns the rules and automations (and runs the rules'
				// actions); its runner makes the round, and the list is
				// the one it stored.
				if err := a.held.eng.Evaluate(cmd.Context()); err != nil && !errors.Is(err, engine.ErrNotRunning) {
					return err
				}
			case !s.ReadOnly():
				if err := evaluateOnce(s.Store, set, now, cmd.ErrOrStderr()); err != nil {
					return err
				}
				// The rules' webhook and hook actions of what fired.
				if acts := a.alertActions(s.Store, set, func(f string, args ...any) { fmt.Fprintf(a.io.err, "cxtop "+f+"\n", args...) }); acts != nil {
					if _, err := acts.Once(cmd.Context()); err != nil {
						return err
					}
				}
			}
			list, err := s.Alerts(all)
			if err != nil {
				return err
			}
			return printAlerts(cmd.OutOrStdout(), list, now, asJSON)
		},
	}
	cmd.Flags().StringVar(&atFlag, "at", "", "a dry run as of this time (a date like 2026-11-01 or RFC 3339): list the alerts as the rules would leave them then, write nothing")
	cmd.Flags().BoolVar(&all, "all", false, "include resolved alerts")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.AddCommand(a.alertsAckCommand())
	return cmd
}

func (a *app) alertsAckCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "ack KEY",
		Short: "Acknowledge an alert",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.open(store.Options{})
			if err != nil {
				return err
			}
			defer s.Close()
			acked, err := a.gate(s).Ack(args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "acknowledged %s by %s\n", model.Sanitize(acked.Key), model.Sanitize(acked.AckedBy))
			return nil
		},
	}
}

// previewAlerts is alerts --at: a dry run on a store opened read-only (or
// through the socket of the process holding it).
func (a *app) previewAlerts(cmd *cobra.Command, set alert.Settings, at time.Time, all, asJSON bool) error {
	s, err := a.openStore(false)
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := engine.Preview(s.Store, set.Rules, at, all)
	if err != nil {
		return err
	}
	return printAlerts(cmd.OutOrStdout(), list, at, asJSON)
}

func printAlerts(out io.Writer, list []alert.Alert, now time.Time, asJSON bool) error {
	if !asJSON {
		return writeAlerts(out, list, now)
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	if list == nil {
		list = []alert.Alert{}
	}
	return enc.Encode(list)
}

// alertSettings are the rules and automations of the config file.
func (a *app) alertSettings() (alert.Settings, error) {
	return a.cfg.Alerts, nil
}

// unseenNotice is the number of changes not yet seen by the automations
// above which a command says, before it starts, why it will take a while.
const unseenNotice = 200_000

// evaluateOnce runs the automations, then every rule. A store synced from
// a remote is a replica: its remote queues the contact requests. A long
// pass (a first run over a big store takes minutes) reports its progress.
func evaluateOnce(s *store.Store, set alert.Settings, now time.Time, notice io.Writer) error {
	cursor, err := replica.ReadCursor(s)
	if err != nil {
		return err
	}
	done, seq, err := engine.Position(s)
	if err != nil {
		return err
	}
	if seq-done > unseenNotice {
		fmt.Fprintf(notice, "cxtop: running the automations over %d changes they have not seen yet: this can take a while\n", seq-done)
		stop := watchAutomations(s, done, seq, newProgress(notice, isTerminal(notice), "automations", "changes", nil))
		defer stop()
	}
	if _, err := engine.Automate(s, set, cursor != "", now); err != nil {
		return err
	}
	_, err = engine.Evaluate(s, set.Rules, now)
	return err
}

// watchAutomations reports the automations' pass from their position in
// the change log until stop is called.
func watchAutomations(s *store.Store, from, to uint64, prog *progressLine) (stop func()) {
	quit, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(ttyEvery)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				return
			case <-tick.C:
				if done, _, err := engine.Position(s); err == nil && done >= from {
					prog.Update(float64(done-from)/float64(max(to-from, 1)), int64(done-from))
				}
			}
		}
	}()
	return func() {
		close(quit)
		<-finished
		prog.Done()
	}
}

func writeAlerts(out io.Writer, list []alert.Alert, now time.Time) error {
	if len(list) == 0 {
		_, err := fmt.Fprintln(out, "no active alerts")
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SEVERITY\tSTATE\tAGE\tKEY\tMESSAGE")
	for _, al := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", model.Sanitize(al.Severity), model.Sanitize(al.State), tui.ShortDuration(now.Sub(al.FiredAt)), model.Sanitize(al.Key), model.Sanitize(al.Message))
	}
	return tw.Flush()
}
