package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cxtop/cxtop/cmd/cxtop/config"
	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/replica"
)

// consoleEnv is what the demo hands to the console: a synced store, the
// sync loop running on it, and the terminal.
type consoleEnv struct {
	Store       *store.Store
	Sync        *replica.Client
	History     func() string   // the history's progress while it is simulated, then ""
	Settings    config.Settings // the config file's, as every entry point takes them
	User        string          // who the console's triage is recorded as
	Remote      string
	In          io.Reader
	Out         io.Writer
	Interactive bool // In and Out are a terminal
}

// runConsole runs the console until the user quits or ctx ends: the Bubble
// Tea console on a terminal, the plain text view below otherwise.
var runConsole = tuiConsole

// plainConsole is a live text view: counts, sync state and the head of the
// queue, refreshed every second (a whole screen on a terminal, one line a
// second otherwise). "q" then Enter quits; so do Ctrl-C and SIGTERM.
func plainConsole(ctx context.Context, env consoleEnv) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		sc := bufio.NewScanner(env.In)
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) == "q" {
				cancel()
				return
			}
		}
		// End of input (not a terminal, say) is no reason to stop.
	}()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		if err := renderPlain(env); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

func renderPlain(env consoleEnv) error {
	records, err := env.Store.Seq()
	if err != nil {
		return err
	}
	open, err := env.Store.OpenTickets()
	if err != nil {
		return err
	}
	now := time.Now()
	st := env.Sync.Status()
	last := "never"
	if !st.LastSuccess.IsZero() {
		last = now.Sub(st.LastSuccess).Round(100*time.Millisecond).String() + " ago"
	}
	syncLine := fmt.Sprintf("sync %s: last success %s, lag %s, %d pending, %d conflicts",
		env.Remote, last, st.Lag(now).Round(100*time.Millisecond), st.Pending, st.Conflicts)
	if st.LastError != "" {
		syncLine += ", error: " + st.LastError
	}
	if !env.Interactive {
		_, err := fmt.Fprintf(env.Out, "%s records %d, open tickets %d | %s\n", now.Format("15:04:05"), records, open, syncLine)
		return err
	}
	var b strings.Builder
	b.WriteString("\x1b[H\x1b[2J")
	fmt.Fprintf(&b, "cxtop demo — %s   (q Enter or Ctrl-C quits)\n\n", now.Format("15:04:05"))
	fmt.Fprintf(&b, "records %d   open tickets %d\n%s\n\n", records, open, syncLine)
	if err := writeKPISummary(&b, env.Store, now); err != nil {
		return err
	}
	b.WriteString("\nmost urgent open tickets:\n")
	tickets, err := env.Store.Tickets(store.TicketQuery{Limit: 10})
	if err != nil {
		return err
	}
	for _, t := range tickets {
		due := "no SLA"
		if !t.SLADueAt.IsZero() {
			due = "due " + t.SLADueAt.Local().Format("Jan 2 15:04")
		}
		subject := clip(model.Sanitize(t.Subject), 40)
		fmt.Fprintf(&b, "  %-16s %-8s %-12s %-20s %-15s %s\n", model.Sanitize(t.ID), model.Sanitize(t.Priority), model.Sanitize(t.Status), model.Sanitize(t.Type), due, subject)
	}
	_, err = io.WriteString(env.Out, b.String())
	return err
}

// writeKPISummary lists the KPIs, each over its own window, two a line.
func writeKPISummary(b *strings.Builder, st *store.Store, now time.Time) error {
	var rep kpi.Report
	if err := st.ViewRollups(func(r *store.Rollups) (err error) {
		rep, err = kpi.ComputeDefault(r, now, kpi.Defs())
		return err
	}); err != nil {
		return err
	}
	b.WriteString("KPIs, each over its own window:\n")
	for i, v := range rep.KPIs {
		cell := fmt.Sprintf("%-22s %8s %-4s %-6s", v.Label, v.Text(), ShortWindow(v.Window.Length), statusMark[v.Status])
		if i%2 == 0 {
			b.WriteString("  " + cell)
		} else {
			b.WriteString("   " + cell + "\n")
		}
	}
	if len(rep.KPIs)%2 == 1 {
		b.WriteString("\n")
	}
	return nil
}
