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
	"github.com/cxtop/cxtop/store/engine"
)

// consoleEnv is what the demo hands to the console: the engine of the
// synced store (its sync loop running), the config, and the terminal.
type consoleEnv struct {
	Engine      *engine.Engine
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

// renderPlain draws the engine's latest state: no store reads of its own.
func renderPlain(env consoleEnv) error {
	state := env.Engine.State()
	if state == nil {
		return nil
	}
	now := time.Now()
	st := state.Sync.Status
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
		_, err := fmt.Fprintf(env.Out, "%s records %d, open tickets %d | %s\n", now.Format("15:04:05"), st.Records, state.Open, syncLine)
		return err
	}
	var b strings.Builder
	b.WriteString("\x1b[H\x1b[2J")
	fmt.Fprintf(&b, "cxtop demo — %s   (q Enter or Ctrl-C quits)\n\n", now.Format("15:04:05"))
	fmt.Fprintf(&b, "records %d   open tickets %d\n%s\n\n", st.Records, state.Open, syncLine)
	writeKPISummary(&b, state.Own)
	b.WriteString("\nmost urgent open tickets:\n")
	for _, t := range state.Queue[:min(len(state.Queue), 10)] {
		due := "no SLA"
		if !t.SLADueAt.IsZero() {
			due = "due " + t.SLADueAt.Local().Format("Jan 2 15:04")
		}
		subject := clip(model.Sanitize(t.Subject), 40)
		fmt.Fprintf(&b, "  %-16s %-8s %-12s %-20s %-15s %s\n", model.Sanitize(t.ID), model.Sanitize(t.Priority), model.Sanitize(t.Status), model.Sanitize(t.Type), due, subject)
	}
	_, err := io.WriteString(env.Out, b.String())
	return err
}

// writeKPISummary lists the KPIs, each over its own window, two a line.
func writeKPISummary(b *strings.Builder, rep kpi.Report) {
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
}
