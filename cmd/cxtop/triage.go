package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
)

// maxNoteLen bounds a note from the command line.
const maxNoteLen = 4000

// triageChange is one action of a triage command line.
type triageChange struct {
	kind string
	what string // for the line printed once it is written
	fill func(*model.Action)
}

func (a *app) triageCommand() *cobra.Command {
	var (
		status, priority, assign, typ, note string
		escalate                            bool
	)
	cmd := &cobra.Command{
		Use:   "triage TICKET",
		Short: "Change a ticket as a lead does in the console: status, priority, assignment, type, note, escalation",
		Long: `Apply triage to one ticket: each flag is one action, written to the store with its outbox
entry (the sync loop pushes it to the remote) through the same gate as the console's keys,
recorded as your user. Values are checked against the taxonomy of the config before anything
is written; the actions are applied in the order status, priority, assign, type, note, escalate.
When another cxtop holds the store, it applies them (docs/control-socket.md).`,
		Example: "  cxtop triage T00000467 --status in_progress --assign support/lan\n" +
			"  cxtop triage T00000467 --priority urgent --escalate --note \"customer called twice\"",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			tax := a.cfg.Taxonomy
			var changes []triageChange
			if status != "" {
				if err := checkChoice("--status", status, tax.Statuses); err != nil {
					return err
				}
				changes = append(changes, triageChange{model.ActionStatus, "status " + status, func(x *model.Action) { x.Status = status }})
			}
			if priority != "" {
				if err := checkChoice("--priority", priority, tax.Priorities); err != nil {
					return err
				}
				changes = append(changes, triageChange{model.ActionPriority, "priority " + priority, func(x *model.Action) { x.Priority = priority }})
			}
			if cmd.Flags().Changed("assign") {
				dept, who, _ := strings.Cut(assign, "/")
				dept, who = strings.TrimSpace(dept), strings.TrimSpace(who)
				if dept == "" && who == "" {
					return usagef("--assign %q: name a department, department/assignee or /assignee", assign)
				}
				changes = append(changes, triageChange{model.ActionAssign, "assigned " + dept + "/" + who, func(x *model.Action) { x.Department, x.Assignee = dept, who }})
			}
			if typ != "" {
				t, sub, _ := strings.Cut(typ, "/")
				t, sub = strings.TrimSpace(t), strings.TrimSpace(sub)
				tt, ok := tax.Type(t)
				if !ok {
					return usagef("--type %q is not known: use one of %s", t, strings.Join(tax.TypeNames(), ", "))
				}
				if sub != "" && !slices.Contains(tt.SubTypes, sub) {
					return usagef("--type: %q is not a sub-type of %s: use one of %s", sub, t, strings.Join(tt.SubTypes, ", "))
				}
				changes = append(changes, triageChange{model.ActionType, "type " + t + "/" + sub, func(x *model.Action) { x.Type, x.SubType = t, sub }})
			}
			if cmd.Flags().Changed("note") {
				if strings.TrimSpace(note) == "" {
					return usagef("--note is empty: say what happened")
				}
				if len(note) > maxNoteLen {
					return usagef("--note is %d bytes: the limit is %d", len(note), maxNoteLen)
				}
				changes = append(changes, triageChange{model.ActionNote, "note added", func(x *model.Action) { x.Note = note }})
			}
			if escalate {
				changes = append(changes, triageChange{model.ActionEscalate, "escalated", nil})
			}
			if len(changes) == 0 {
				return usagef("nothing to do: give at least one of --status, --priority, --assign, --type, --note, --escalate")
			}
			s, err := a.open(store.Options{})
			if err != nil {
				return err
			}
			defer s.Close()
			t, err := s.Ticket(args[0])
			if errors.Is(err, store.ErrNoSuchKey) {
				return fmt.Errorf("ticket %q is not in %s: 'cxtop tickets' lists them", args[0], a.dbPath)
			}
			if err != nil {
				return err
			}
			gate := a.gate(s)
			// All or nothing where it can be known beforehand: every change
			// is tried on a copy first, so a flag that changes nothing (a
			// ticket already escalated) writes none of the others.
			trial := t
			for _, c := range changes {
				x := model.Action{ID: "trial", TicketID: t.ID, BaseVersion: trial.Version, Kind: c.kind, By: gate.User(), At: time.Now().UTC()}
				if c.fill != nil {
					c.fill(&x)
				}
				if trial, err = tax.ApplyAction(trial, x); err != nil {
					return fmt.Errorf("triage %s: %w: nothing was written", t.ID, err)
				}
			}
			out := cmd.OutOrStdout()
			for _, c := range changes {
				n, err := gate.Apply(t, c.kind, c.fill)
				if err != nil {
					return fmt.Errorf("triage %s: %s: %w", t.ID, c.kind, err)
				}
				fmt.Fprintf(out, "%s: %s (by %s, queued for sync)\n", model.Sanitize(t.ID), model.Sanitize(c.what), model.Sanitize(gate.User()))
				t = n
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&status, "status", "", "set the status (new, in_progress, done, or the config's)")
	fl.StringVar(&priority, "priority", "", "set the priority (urgent, high, normal, low, or the config's); the SLA due time follows")
	fl.StringVar(&assign, "assign", "", "assign to department[/assignee] (or /assignee)")
	fl.StringVar(&typ, "type", "", "set type[/sub-type] from the taxonomy")
	fl.StringVar(&note, "note", "", "add a note to the ticket's history")
	fl.BoolVar(&escalate, "escalate", false, "escalate to a human / a higher tier")
	return cmd
}
