package main

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
	"github.com/cxtop/cxtop/tui"
)

func (a *app) openCommand() *cobra.Command {
	var themeName string
	cmd := &cobra.Command{
		Use:   "open SNAPSHOT",
		Short: "Open the console on a snapshot, read-only, as of when it was taken",
		Long: `Open the console on a snapshot made by 'cxtop snapshot'. It is read-only (every triage
key says so), a banner says what it is and when it was taken, and its clock is the snapshot's
time: the KPI windows, trends, ticket ages, SLA countdowns and alert ages are all as of then.
w switches the KPI window (24h, 7d, 30d, 90d).`,
		Example: "  cxtop open snapshots/cx-20261102T090000Z.db",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := store.Open(args[0], store.Options{ReadOnly: true})
			if err != nil {
				return err
			}
			defer s.Close()
			info, ok, err := s.SnapshotInfo()
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("%s is a store, not a snapshot: open it with 'cxtop --db %s --at TIME', or take one with 'cxtop snapshot'", args[0], args[0])
			}
			banner := fmt.Sprintf("SNAPSHOT of %s taken %s · read-only · %d tickets", info.From, info.TakenAt.Format("2006-01-02 15:04Z"), info.Tickets)
			if info.Masked {
				banner += " · personal data masked"
			}
			return a.consoleAt(cmd, s, info.TakenAt, banner, themeName)
		},
	}
	cmd.Flags().StringVar(&themeName, "theme", "", "colour theme: dark, light or high-contrast (default: from the terminal)")
	return cmd
}

// consoleAt runs the console read-only on s with its clock stopped at at:
// the console of a snapshot or of a past moment. Nothing is evaluated or
// written (the stored alert lifecycle only moves with the engine's clock).
func (a *app) consoleAt(cmd *cobra.Command, s *store.Store, at time.Time, banner, themeName string) error {
	if !isTerminal(a.io.in) || !isTerminal(a.io.out) {
		return errors.New("the console needs a terminal: run it in one, or use 'cxtop kpi --at' and 'cxtop report' in scripts")
	}
	closeLog, err := a.consoleLog()
	if err != nil {
		return err
	}
	defer closeLog()
	notice := ""
	if s.RollupsOutdated() != nil {
		notice = "KPIs incomplete: this store's rollups are from an older cxtop"
	}
	// A read-only engine whose clock is stopped at at: its state is the
	// store as of then, and it never writes.
	opt := a.engineOptions()
	opt.ReadOnly, opt.Logf = true, log.Printf
	opt.Now = func() time.Time { return at }
	opt.Progress = func() string { return "as of " + at.Format("2006-01-02 15:04Z") }
	eng := engine.New(s, opt)
	eng.Start(cmd.Context())
	defer stopEngine(eng, log.Printf)
	return tui.Run(cmd.Context(), tui.Options{Engine: eng, Config: a.cfg.TUI(), Role: engine.RoleSnapshot, Theme: themeName,
		User: a.user(), Now: opt.Now, Banner: banner, Notice: notice}, a.io.in, a.io.out)
}
