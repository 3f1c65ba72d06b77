package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/cmd/cxtop/config"
	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// usageError marks a mistake in the command line itself (exit status 2).
type usageError struct{ error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// app is what every command shares: where things are and how they are
// configured, resolved once from flags, CXTOP_* variables and defaults.
type app struct {
	io       stdio
	getenv   func(string) string
	dbPath   string
	cfgPath  string
	cfgNamed bool // --config or $CXTOP_CONFIG named the file
	cfg      config.Settings

	// cmd and args are the command line being run, kept by resolve so a
	// command that finds its store held can forward it (forward.go).
	cmd  *cobra.Command
	args []string
	// held is set while this app runs a command for a control-socket
	// client inside the process that holds the store (control.go).
	held *holding
}

// run executes one command line and returns the exit status. Errors are
// printed as one line; nothing panics on bad input.
func run(args []string, std stdio, getenv func(string) string) int {
	return (&app{io: std, getenv: getenv}).execute(context.Background(), args)
}

// execute runs one command line with a's stdio and environment.
func (a *app) execute(ctx context.Context, args []string) int {
	std := a.io
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(std.in)
	root.SetOut(std.out)
	root.SetErr(std.err)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var fw forwarded
	if errors.As(err, &fw) {
		return fw.code // the process holding the store ran it and printed what it had to
	}
	fmt.Fprintf(std.err, "cxtop: %s\n", model.Sanitize(oneLine(withHint(err, a.dbPath).Error())))
	var ue usageError
	if errors.As(err, &ue) || isCobraUsage(err) {
		fmt.Fprintf(std.err, "Run 'cxtop %s --help' for usage.\n", commandPath(root, args))
		return 2
	}
	return 1
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// isCobraUsage recognises cobra's own flag and argument errors.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown flag", "unknown shorthand", "unknown command", "flag needs an argument",
		"invalid argument", "accepts ", "requires at least", "requires exactly", "bad flag syntax"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

func commandPath(root *cobra.Command, args []string) string {
	cmd, _, err := root.Find(args)
	if err != nil || cmd == root {
		return ""
	}
	return strings.TrimPrefix(cmd.CommandPath(), "cxtop ")
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "cxtop",
		Short: "A terminal operations console for customer-experience teams",
		Long: `cxtop keeps tickets, customer feedback (CSAT, NPS, CES, chatbot ratings) and journey
events in an embedded store, syncs it with a remote API, computes the CX KPIs
against their targets and shows it all in the terminal.`,
		SilenceUsage:      true,
		SilenceErrors:     true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error { return a.resolve(cmd, args) },
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.PersistentFlags().StringVar(&a.dbPath, "db", "", "store file (default $CXTOP_DB or "+defaultDataPath(a.getenv)+")")
	root.PersistentFlags().StringVar(&a.cfgPath, "config", "", "config file (default $CXTOP_CONFIG or "+defaultConfigPath(a.getenv)+")")
	a.addConsole(root)
	root.AddCommand(
		a.versionCommand(),
		a.simulateCommand(),
		a.ticketsCommand(),
		a.exportCommand(),
		a.importCommand(),
		a.checkCommand(),
		a.benchCommand(),
		a.kpiCommand(),
		a.abCommand(),
		a.npsRevenueCommand(),
		a.alertsCommand(),
		a.triageCommand(),
		a.hubCommand(),
		a.syncCommand(),
		a.contactsCommand(),
		a.forgetCommand(),
		a.demoCommand(),
		a.serveCommand(),
		a.snapshotCommand(),
		a.openCommand(),
		a.diffCommand(),
		a.reportCommand(),
	)
	// cobra's `completion bash|zsh|fish|powershell`, with the values of
	// --window, --by, --source, --status... completed too.
	root.CompletionOptions.HiddenDefaultCmd = false
	a.addFlagCompletions(root)
	return root
}

// resolve applies flags over CXTOP_* variables over defaults, and loads the
// config file. A missing default config file means defaults; a missing file
// the user named is an error.
func (a *app) resolve(cmd *cobra.Command, args []string) error {
	a.cmd, a.args = cmd, args
	if a.held != nil {
		if err := a.held.admit(cmd); err != nil {
			return err
		}
	}
	if a.dbPath == "" {
		a.dbPath = a.getenv("CXTOP_DB")
	}
	if a.dbPath == "" {
		a.dbPath = defaultDataPath(a.getenv)
		// With no home directory the default would be a path relative to
		// wherever the command runs: a store (or a config) found or made
		// there by accident. Say so instead, for every command that needs one.
		if !filepath.IsAbs(a.dbPath) && needsStore(cmd) {
			return fmt.Errorf("no home directory (HOME is not set): cxtop cannot place its store: pass --db PATH, or set CXTOP_DB, XDG_DATA_HOME or HOME")
		}
	}
	named := a.cfgPath != "" || a.getenv("CXTOP_CONFIG") != ""
	a.cfgNamed = named
	if a.cfgPath == "" {
		a.cfgPath = a.getenv("CXTOP_CONFIG")
	}
	if a.cfgPath == "" {
		a.cfgPath = defaultConfigPath(a.getenv)
		if !filepath.IsAbs(a.cfgPath) {
			a.cfgPath = "" // no home: no default config file, the defaults
		}
	}
	var err error
	a.cfg, err = config.Load(a.cfgPath, named)
	return err
}

// needsStore: every command but the few that never open one.
func needsStore(cmd *cobra.Command) bool {
	switch cmd.Name() {
	case "version", "help", "completion":
		return false
	}
	return true
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// storeOptions adds what every command's open shares: a line on stderr
// before a one-time rebuild of an older store's rollups, so a long open
// is not a silent one.
func (a *app) storeOptions(o store.Options) store.Options {
	o.OnSchemaUpgrade = func(from, to uint64) {
		fmt.Fprintf(a.io.err, "cxtop: %s was written by an older cxtop: building its new indexes (schema v%d → v%d) from its records, once; a store of a million tickets takes under a minute\n",
			a.dbPath, from, to)
	}
	o.OnBulkResume = func() {
		fmt.Fprintf(a.io.err, "cxtop: a bulk load into %s (a first 'cxtop simulate', 'cxtop sync --once' or 'cxtop import') was stopped before its end: building its indexes and rollups from the records it holds, once; a store of a million tickets takes under a minute\n",
			a.dbPath)
	}
	var prog *progressLine
	o.OnUpgrade = func(from, to uint64) {
		fmt.Fprintf(a.io.err, "cxtop: %s was written by an older cxtop: rebuilding its rollups (v%d → v%d) from its records, once; a store of a million tickets takes a few minutes\n",
			a.dbPath, from, to)
		prog = a.progress("rebuild rollups", "records")
	}
	o.OnRebuildProgress = func(n, total int) {
		if prog != nil {
			prog.Update(float64(n)/float64(max(total, 1)), int64(n))
			if n >= total {
				prog.Done()
			}
		}
	}
	return o
}

// timeFlag reads a time flag, a date (2026-11-01, midnight UTC) or an RFC
// 3339 time, in UTC; an empty value means def.
func timeFlag(name, value string, def time.Time) (time.Time, error) {
	if value == "" {
		return def, nil
	}
	t, err := model.ParseTime(value)
	if err != nil {
		return time.Time{}, usagef("%s %v", name, err)
	}
	return t, nil
}
