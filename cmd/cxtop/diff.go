package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/tui"
)

func (a *app) diffCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "diff A B",
		Short: "What changed between two snapshots",
		Long: `Compare snapshot A with the later snapshot B (made by 'cxtop snapshot'): every KPI as of
each snapshot's time (each over its own window) with the change; the tickets opened, closed
and reopened in between, by type and sub-type; the alerts that started or ended in between;
the detractors' follow-ups contacted in between and those still waiting in B.
A ticket counts as opened when B has it and A does not, closed when it is done in B and was
open (or absent) in A, reopened when it was done in A and is open in B. Two snapshots of the
same store are compared through B's change log after A; others record by record.`,
		Example: "  cxtop diff monday.db friday.db\n  cxtop diff monday.db friday.db --json",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			settings, err := a.kpiSettings()
			if err != nil {
				return err
			}
			var sides [2]diffSide
			for i, p := range args {
				s, err := store.Open(p, store.Options{ReadOnly: true})
				if err != nil {
					return err
				}
				defer s.Close()
				info, ok, err := s.SnapshotInfo()
				if err != nil {
					return err
				}
				if !ok {
					return fmt.Errorf("%s is a store, not a snapshot: take one with 'cxtop snapshot' (a snapshot knows when it was taken)", p)
				}
				if err := s.RollupsOutdated(); err != nil {
					return err
				}
				sides[i] = diffSide{path: p, st: s, info: info}
			}
			if sides[1].info.TakenAt.Before(sides[0].info.TakenAt) {
				return usagef("%s was taken before %s: give the older snapshot first", args[1], args[0])
			}
			d, err := computeDiff(sides[0], sides[1], settings.Defs)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), d)
			}
			return writeDiffText(cmd.OutOrStdout(), d)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

type diffSide struct {
	path string
	st   *store.Store
	info store.SnapshotInfo
}

// snapshotDiff is what `cxtop diff` prints; the JSON names are its format.
type snapshotDiff struct {
	A          diffEnd         `json:"a"`
	B          diffEnd         `json:"b"`
	KPIs       []kpiDelta      `json:"kpis"`
	Opened     []typeCount     `json:"opened"`
	Closed     []typeCount     `json:"closed"`
	Reopened   []typeCount     `json:"reopened"`
	Started    []alertLine     `json:"alerts_started"`
	Ended      []alertLine     `json:"alerts_ended"`
	Detractors detractorChange `json:"detractors"`
}

type diffEnd struct {
	Path    string    `json:"path"`
	TakenAt time.Time `json:"taken_at"`
	Tickets int       `json:"tickets"`
}

type kpiDelta struct {
	ID    string   `json:"id"`
	Label string   `json:"label"`
	Unit  string   `json:"unit"`
	A     *float64 `json:"a"`
	B     *float64 `json:"b"`
	Delta *float64 `json:"delta"`
}

type typeCount struct {
	Type    string `json:"type"`
	SubType string `json:"subtype"`
	N       int    `json:"n"`
}

type alertLine struct {
	Key      string    `json:"key"`
	Rule     string    `json:"rule"`
	Severity string    `json:"severity"`
	At       time.Time `json:"at"`
	Message  string    `json:"message"`
}

// detractorChange: the detractors' follow-up tickets (alert.FollowUpPrefix)
// contacted between the snapshots, and those still waiting in B.
type detractorChange struct {
	New       int           `json:"new"` // detractor answers B has and A does not
	Contacted []string      `json:"contacted"`
	Waiting   []waitingLoop `json:"waiting"`
}

type waitingLoop struct {
	Ticket   string    `json:"ticket"`
	Customer string    `json:"customer"`
	Since    time.Time `json:"since"`
}

func computeDiff(a, b diffSide, defs []kpi.Def) (snapshotDiff, error) {
	d := snapshotDiff{
		A:        diffEnd{a.path, a.info.TakenAt, a.info.Tickets},
		B:        diffEnd{b.path, b.info.TakenAt, b.info.Tickets},
		Opened:   []typeCount{},
		Closed:   []typeCount{},
		Reopened: []typeCount{},
		Started:  []alertLine{},
		Ended:    []alertLine{},
	}
	var reps [2]kpi.Report
	for i, side := range []diffSide{a, b} {
		err := side.st.ViewRollups(func(r *store.Rollups) error {
			var err error
			reps[i], err = kpi.ComputeDefault(r, side.info.TakenAt, defs)
			return err
		})
		if err != nil {
			return d, err
		}
	}
	for i, v := range reps[1].KPIs {
		k := kpiDelta{ID: v.ID, Label: v.Label, Unit: v.Unit, A: reps[0].KPIs[i].Value, B: v.Value}
		if k.A != nil && k.B != nil {
			x := *k.B - *k.A
			k.Delta = &x
		}
		d.KPIs = append(d.KPIs, k)
	}
	if err := diffRecords(a, b, &d); err != nil {
		return d, err
	}
	if err := diffAlerts(a, b, &d); err != nil {
		return d, err
	}
	return d, nil
}

// diffRecords classifies the records B changed since A: through B's change
// log after A's sequence when both are snapshots of one store (B holds the
// same history, further on), else through all of B's records.
func diffRecords(a, b diffSide, d *snapshotDiff) error {
	idA, _ := a.st.ID()
	idB, _ := b.st.ID()
	after := uint64(0)
	if idA != "" && idA == idB && a.info.Seq <= b.info.Seq && !a.info.Masked && !b.info.Masked {
		after = a.info.Seq
	}
	opened, closed, reopened := map[[2]string]int{}, map[[2]string]int{}, map[[2]string]int{}
	for {
		lines, last, more, err := b.st.Changes(after, 2000)
		if err != nil {
			return err
		}
		for _, line := range lines {
			r, err := model.ParseRecord(line)
			if err != nil {
				return fmt.Errorf("%s: %w", b.path, err)
			}
			switch {
			case r.Ticket != nil:
				old, err := a.st.Ticket(r.Ticket.ID)
				if err != nil && !errors.Is(err, store.ErrNoSuchKey) {
					return err
				}
				classifyTicket(old, r.Ticket, opened, closed, reopened)
				if f, ok := alert.FollowUpOf(r.Ticket.ID); ok && f != "" && alert.Contacted(r.Ticket) && (old == nil || !alert.Contacted(old)) {
					d.Detractors.Contacted = append(d.Detractors.Contacted, r.Ticket.ID)
				}
			case r.Feedback != nil && r.Feedback.Survey == model.SurveyNPS && model.NPSCategory(r.Feedback.Score) == "detractor":
				had, err := a.st.HasFeedback(r.Feedback.ID)
				if err != nil {
					return err
				}
				if !had {
					d.Detractors.New++
				}
			}
		}
		after = last
		if !more {
			break
		}
	}
	d.Opened, d.Closed, d.Reopened = typeCounts(opened), typeCounts(closed), typeCounts(reopened)
	slices.Sort(d.Detractors.Contacted)
	if d.Detractors.Contacted == nil {
		d.Detractors.Contacted = []string{}
	}
	waiting, err := b.st.TicketsWithPrefix(alert.FollowUpPrefix)
	if err != nil {
		return err
	}
	d.Detractors.Waiting = []waitingLoop{}
	for _, t := range waiting {
		if !alert.Contacted(t) {
			d.Detractors.Waiting = append(d.Detractors.Waiting, waitingLoop{t.ID, t.CustomerID, t.CreatedAt})
		}
	}
	return nil
}

// classifyTicket counts t (as B has it) against old (as A had it, nil when
// A lacks it): opened, closed, or reopened.
func classifyTicket(old, t *model.Ticket, opened, closed, reopened map[[2]string]int) {
	k := [2]string{t.Type, t.SubType}
	switch {
	case old == nil:
		opened[k]++
		if !t.Open() {
			closed[k]++
		}
	case old.Open() && !t.Open():
		closed[k]++
	case !old.Open() && t.Open():
		reopened[k]++
	}
}

func typeCounts(m map[[2]string]int) []typeCount {
	out := []typeCount{}
	for k, n := range m {
		out = append(out, typeCount{k[0], k[1], n})
	}
	slices.SortFunc(out, func(x, y typeCount) int {
		if x.N != y.N {
			return y.N - x.N
		}
		return strings.Compare(x.Type+"/"+x.SubType, y.Type+"/"+y.SubType)
	})
	return out
}

// diffAlerts: alerts of B that fired, or were resolved, after A was taken
// and by B's time.
func diffAlerts(a, b diffSide, d *snapshotDiff) error {
	all, err := b.st.Alerts(true)
	if err != nil {
		return err
	}
	from, to := a.info.TakenAt, b.info.TakenAt
	between := func(t time.Time) bool { return !t.IsZero() && t.After(from) && !t.After(to) }
	for _, al := range all {
		if between(al.FiredAt) {
			d.Started = append(d.Started, alertLine{al.Key, al.Rule, al.Severity, al.FiredAt, al.Message})
		}
		if al.State == alert.Resolved && between(al.ResolvedAt) {
			d.Ended = append(d.Ended, alertLine{al.Key, al.Rule, al.Severity, al.ResolvedAt, al.Message})
		}
	}
	for _, l := range [][]alertLine{d.Started, d.Ended} {
		slices.SortFunc(l, func(x, y alertLine) int { return x.At.Compare(y.At) })
	}
	return nil
}

func writeDiffText(out io.Writer, d snapshotDiff) error {
	fmt.Fprintf(out, "A %s taken %s (%d tickets)\nB %s taken %s (%d tickets), %s later\n\n",
		model.Sanitize(d.A.Path), d.A.TakenAt.Format("2006-01-02 15:04Z"), d.A.Tickets,
		model.Sanitize(d.B.Path), d.B.TakenAt.Format("2006-01-02 15:04Z"), d.B.Tickets, d.B.TakenAt.Sub(d.A.TakenAt).Round(time.Minute))
	tw := newTable(out)
	fmt.Fprintln(tw, "KPI\tA\tB\tCHANGE")
	for _, k := range d.KPIs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", model.Sanitize(k.Label), kpi.Format(k.Unit, k.A, false), kpi.Format(k.Unit, k.B, false), kpi.Format(k.Unit, k.Delta, true))
	}
	tw.Flush()
	for _, part := range []struct {
		title string
		rows  []typeCount
	}{{"opened", d.Opened}, {"closed", d.Closed}, {"reopened", d.Reopened}} {
		total := 0
		for _, r := range part.rows {
			total += r.N
		}
		fmt.Fprintf(out, "\nTickets %s in between: %d\n", part.title, total)
		if total == 0 {
			continue
		}
		tw := newTable(out)
		fmt.Fprintln(tw, "  TYPE\tSUB-TYPE\tN")
		for _, r := range part.rows {
			fmt.Fprintf(tw, "  %s\t%s\t%d\n", model.Sanitize(r.Type), model.Sanitize(r.SubType), r.N)
		}
		tw.Flush()
	}
	for _, part := range []struct {
		title string
		rows  []alertLine
	}{{"started", d.Started}, {"ended", d.Ended}} {
		fmt.Fprintf(out, "\nAlerts %s in between: %d\n", part.title, len(part.rows))
		for _, a := range part.rows {
			fmt.Fprintf(out, "  %s  %-8s %s\n", a.At.Format("2006-01-02 15:04Z"), model.Sanitize(a.Severity), model.Sanitize(a.Message))
		}
	}
	fmt.Fprintf(out, "\nDetractors: %d new, %d follow-ups contacted in between, %d still waiting in B\n",
		d.Detractors.New, len(d.Detractors.Contacted), len(d.Detractors.Waiting))
	for _, w := range d.Detractors.Waiting {
		fmt.Fprintf(out, "  %s  customer %s, waiting %s\n", model.Sanitize(w.Ticket), model.Sanitize(w.Customer), tui.ShortDuration(d.B.TakenAt.Sub(w.Since)))
	}
	return nil
}
