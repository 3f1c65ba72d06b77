package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/tui"
)

// maxListLimit bounds --limit: beyond it, export is the right tool.
const maxListLimit = 100000

func (a *app) ticketsCommand() *cobra.Command {
	var (
		f       store.TicketFilter
		limit   int
		offset  int
		asJSON  bool
		nowFlag string
		yesNo   = map[string]*string{"escalated": new(string), "breached": new(string)}
	)
	cmd := &cobra.Command{
		Use:   "tickets",
		Short: "List tickets in queue order",
		Long: `List open tickets in queue order: escalated first, then by SLA due time (breached
first), then priority and age. --status done lists done tickets, most recently updated first.`,
		Example: "  cxtop tickets --db cx.db --type complaint --limit 20\n  cxtop tickets --db cx.db --status done --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if limit < 1 || limit > maxListLimit {
				return usagef("--limit %d is out of range: use 1 to %d (or 'cxtop export' for everything)", limit, maxListLimit)
			}
			if offset < 0 {
				return usagef("--offset %d is negative", offset)
			}
			tax := a.cfg.Taxonomy
			if err := checkChoice("--status", f.Status, tax.Statuses); err != nil {
				return err
			}
			if err := checkChoice("--type", f.Type, tax.TypeNames()); err != nil {
				return err
			}
			if err := checkChoice("--source", f.Source, tax.Sources); err != nil {
				return err
			}
			if err := checkChoice("--priority", f.Priority, tax.Priorities); err != nil {
				return err
			}
			for name, v := range yesNo {
				if *v == "" {
					continue
				}
				t, err := tui.ParseYesNo(name, *v)
				if err != nil {
					return usagef("--%s %q: use yes or no", name, *v)
				}
				if name == "escalated" {
					f.Escalated = t
				} else {
					f.Breached = t
				}
			}
			now, err := timeFlag("--at", nowFlag, time.Now().UTC())
			if err != nil {
				return err
			}
			f.Now = now
			s, err := a.openStore(false)
			if err != nil {
				return err
			}
			defer s.Close()
			list, err := s.Tickets(store.TicketQuery{Filter: f, Offset: offset, Limit: limit})
			if err != nil {
				return err
			}
			if asJSON {
				return writeTicketsJSON(cmd.OutOrStdout(), list)
			}
			return writeTicketTable(cmd.OutOrStdout(), list, now)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Status, "status", "", "only tickets with this status (new, in_progress, done)")
	fl.StringVar(&f.Type, "type", "", "only tickets of this type")
	fl.StringVar(&f.Source, "source", "", "only tickets from this source (channel)")
	fl.StringVar(&f.Segment, "segment", "", "only tickets of customers in this segment")
	fl.StringVar(&f.Department, "department", "", "only tickets of this department")
	fl.StringVar(&f.Priority, "priority", "", "only tickets of this priority")
	fl.StringVar(&f.Assignee, "assignee", "", "only tickets assigned to this person")
	fl.StringVar(yesNo["escalated"], "escalated", "", "yes: only escalated tickets; no: only the others")
	fl.StringVar(yesNo["breached"], "breached", "", "yes: only tickets past their SLA due time at --at; no: only the others")
	fl.IntVar(&limit, "limit", 50, fmt.Sprintf("how many tickets to list (1–%d)", maxListLimit))
	fl.IntVar(&offset, "offset", 0, "skip this many tickets first")
	fl.BoolVar(&asJSON, "json", false, "print a JSON array of tickets in the export format")
	fl.StringVar(&nowFlag, "at", "", "reference time for ages and SLA countdowns (a date like 2026-11-01 or RFC 3339; default now)")
	// --now was this flag's first name; like every other command it is --at
	// now, and the old name still works for scripts that use it.
	fl.StringVar(&nowFlag, "now", "", "the old name of --at")
	_ = fl.MarkHidden("now")
	return cmd
}

func checkChoice(flag, v string, allowed []string) error {
	if v == "" {
		return nil
	}
	for _, a := range allowed {
		if a == v {
			return nil
		}
	}
	return usagef("%s %q is not known: use one of %s", flag, v, strings.Join(allowed, ", "))
}

func writeTicketsJSON(out io.Writer, list []*model.Ticket) error {
	bw := bufio.NewWriter(out)
	bw.WriteString("[")
	for i, t := range list {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n")
		bw.Write(model.AppendTicket(nil, t))
	}
	if len(list) > 0 {
		bw.WriteString("\n")
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

func writeTicketTable(out io.Writer, list []*model.Ticket, now time.Time) error {
	if len(list) == 0 {
		_, err := fmt.Fprintln(out, "no tickets match")
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tAGE\tSLA\tPRIORITY\tSTATUS\tTYPE/SUBTYPE\tSOURCE\tSUBJECT")
	for _, t := range list {
		flag := ""
		if t.Escalated {
			flag = "!"
		}
		fmt.Fprintf(tw, "%s%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", model.Sanitize(t.ID), flag, tui.ShortDuration(now.Sub(t.CreatedAt)),
			slaCell(t, now), model.Sanitize(t.Priority), model.Sanitize(t.Status), model.Sanitize(t.Type+"/"+t.SubType), model.Sanitize(t.Source), clip(model.Sanitize(t.Subject), 48))
	}
	return tw.Flush()
}

// slaCell says how long is left before the SLA is due, or by how much it
// was missed; "-" when the ticket has no SLA.
func slaCell(t *model.Ticket, now time.Time) string {
	switch {
	case t.SLADueAt.IsZero():
		return "-"
	case !t.Open():
		if t.ResolvedAt.After(t.SLADueAt) {
			return "missed"
		}
		return "met"
	case now.After(t.SLADueAt):
		return "over " + tui.ShortDuration(now.Sub(t.SLADueAt))
	}
	return tui.ShortDuration(t.SLADueAt.Sub(now))
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
