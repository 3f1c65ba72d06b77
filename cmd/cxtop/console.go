package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
	"github.com/cxtop/cxtop/store/replica"
	"github.com/cxtop/cxtop/theme"
	"github.com/cxtop/cxtop/tui"
)

// consoleFlags are the root command's own flags: `cxtop` with no
// subcommand opens the console on --db.
type consoleFlags struct {
	readOnly bool
	offline  bool
	unmask   bool
	theme    string
	at       string
}

func (a *app) addConsole(root *cobra.Command) {
	var f consoleFlags
	root.Flags().BoolVar(&f.readOnly, "read-only", false, "open the store read-only: every triage key says read-only")
	root.Flags().StringVar(&f.theme, "theme", "", "colour theme: dark, light or high-contrast (default: from the terminal)")
	root.Flags().BoolVar(&f.unmask, "unmask", false, "a lead session shows personal data even when [privacy] leads = \"masked\" (logged)")
	root.Flags().BoolVar(&f.offline, "offline", false, "do not sync, even when [sync] remote or $CXTOP_REMOTE names a remote")
	root.Flags().StringVar(&f.at, "at", "", "the console as of this past time (RFC 3339), read-only: KPIs, trends, ages and SLA countdowns as of then")
	root.Args = cobra.NoArgs
	root.RunE = func(cmd *cobra.Command, _ []string) error {
		if f.theme != "" {
			if _, err := theme.New(f.theme, lipgloss.DefaultRenderer()); err != nil {
				return usagef("--theme: %v", err)
			}
		}
		if f.at != "" {
			at, err := timeFlag("--at", f.at, time.Time{})
			if err != nil {
				return err
			}
			s, err := a.openStore(false)
			if err != nil {
				return err
			}
			defer s.Close()
			return a.consoleAt(cmd, s.Store, at, fmt.Sprintf("AT %s · %s · read-only", at.Format("2006-01-02 15:04Z"), a.dbPath), f.theme)
		}
		if !isTerminal(a.io.in) || !isTerminal(a.io.out) {
			return errors.New("the console needs a terminal: run cxtop in one, or use 'cxtop tickets' and 'cxtop kpi' in scripts")
		}
		opt := a.engineOptions()
		// With a configured remote (and a store it may write) the console
		// syncs in-process: a store one process holds, no other can open.
		var syncSet syncSettings
		if !f.readOnly && !f.offline {
			var err error
			if syncSet, err = a.fillSync(syncSettings{}, true); err != nil {
				return err
			}
			if syncSet.remote != "" {
				if opt.Remote, err = a.newRemote(syncSet); err != nil {
					return fmt.Errorf("[sync] remote: %w", err)
				}
			}
		}
		closeLog, err := a.consoleLog()
		if err != nil {
			return err
		}
		defer closeLog()
		opt.ReadOnly, opt.Logf = f.readOnly, log.Printf
		opt.Replica = replica.Options{Source: syncSet.source, Taxonomy: a.cfg.Taxonomy,
			Interval: a.syncInterval(syncSet.source), Logf: log.Printf}
		eng, err := engine.Open(a.dbPath, a.storeOptions(store.Options{ReadOnly: f.readOnly, Create: opt.Remote != nil}), opt)
		if errors.Is(err, store.ErrInUse) {
			return a.heldError(err)
		}
		if err != nil {
			return err
		}
		defer stopEngine(eng, func(format string, args ...any) { log.Printf("console: "+format, args...) })
		role := engine.RoleLead
		if f.readOnly {
			role = engine.RoleViewer
		}
		mask, err := a.sessionMask(role == engine.RoleLead, f.unmask)
		if err != nil {
			return err
		}
		notice := ""
		if st := eng.Store(); st.ReadOnly() && st.RollupsOutdated() != nil {
			notice = "KPIs incomplete: this store's rollups are from an older cxtop (open it once without --read-only)"
		}
		eng.Start(cmd.Context())
		if eng.CanWrite() && role == engine.RoleLead {
			// The rules' webhook and hook actions, once per firing, by the
			// process that evaluates them.
			defer a.runAlertActions(cmd.Context(), eng.Store(), log.Printf)()
		}
		return tui.Run(cmd.Context(), tui.Options{Engine: eng, Config: a.cfg.TUI(), Role: role, Theme: f.theme,
			User: a.user(), Notice: notice, Mask: mask}, a.io.in, a.io.out)
	}
}

// consoleLog sends the standard logger to a file in the state dir for the
// console's lifetime: nothing may write onto the TUI.
func (a *app) consoleLog() (func(), error) {
	dir := stateDir(a.getenv)
	if dir == "" {
		return nil, fmt.Errorf("no home directory (HOME is not set): the console cannot place its log: set HOME or XDG_STATE_HOME")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("state dir %s: %w", dir, err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "console.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("console log: %w", err)
	}
	prev := log.Writer()
	log.SetOutput(f)
	return func() { log.SetOutput(prev); f.Close() }, nil
}

// tuiConsole is the demo's console when it runs in a terminal.
func tuiConsole(ctx context.Context, env consoleEnv) error {
	if !env.Interactive {
		return plainConsole(ctx, env)
	}
	return tui.Run(ctx, tui.Options{Engine: env.Engine, Role: engine.RoleLead, User: env.User, Config: env.Settings.TUI()}, env.In, env.Out)
}
