package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store"
)

func (a *app) kpiCommand() *cobra.Command {
	var (
		wf     windowFlags
		by     string
		since  string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "kpi",
		Short: "Show every CX KPI over a window, against its target and the previous window",
		Long: `Compute the CX KPIs (docs/kpis.md) from the store's hourly rollups, each over its own
default window (CSAT 7d, NPS, adoption and revenue growth 30d, ROI 365d, ...; [kpi.windows]
in the config overrides one) ending at --at, truncated to the hour, with the previous window
of the same length as baseline. --window reads every KPI over one window instead.
--since go-live reads them from the [programme] go-live to --at, against the programme's
baselines. Targets, margins and the programme cost come from the [kpi] and [programme]
sections of the config.
--by type|subtype|department|assignee|source|segment|touchpoint shows the ticket KPIs per
value of that dimension instead (tickets created, backlog, mean handling time, SLA compliance,
CSAT after resolution, resolution success), and for segment, touchpoint and source CSAT and
NPS per value too.`,
		Example: "  cxtop kpi --db cx.db\n  cxtop kpi --db cx.db --at 2026-11-01 --window 30d --json\n  cxtop kpi --db cx.db --since go-live\n  cxtop kpi --db cx.db --by segment",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if wf.length == "" && by != "" {
				wf.length = "7d" // a breakdown reads CSAT and NPS over one window
			}
			w, err := wf.window()
			if err != nil {
				return err
			}
			if _, ok := kpi.TicketDims[by]; by != "" && !ok {
				return usagef("--by %q: use %s", by, strings.Join(kpi.TicketDimNames, ", "))
			}
			switch {
			case since != "" && since != "go-live":
				return usagef("--since %q: use go-live (the [programme] go_live date)", since)
			case since != "" && (by != "" || wf.length != ""):
				return usagef("--since go-live reads every KPI from the go-live: leave out --window and --by")
			}
			settings, err := a.kpiSettings()
			if err != nil {
				return err
			}
			if since != "" && settings.Programme.GoLive.IsZero() {
				return fmt.Errorf("--since go-live: %w", kpi.ErrNoGoLive)
			}
			out := cmd.OutOrStdout()
			return a.viewStore(func(s *store.Store, r *store.Rollups) error {
				if since != "" {
					rep, err := kpi.SinceGoLive(r, settings.Programme, w.At, settings.Defs)
					if err != nil {
						return err
					}
					if asJSON {
						return writeKPIJSON(out, rep)
					}
					return writeSinceGoLiveTable(out, rep, settings.Programme)
				}
				if by != "" {
					return writeBreakdowns(out, s, r, w, by, asJSON)
				}
				var rep kpi.Report
				if wf.length == "" {
					if rep, err = kpi.ComputeDefault(r, w.At, settings.Defs); err != nil {
						return err
					}
				} else {
					rep = kpi.Compute(r, w, settings.Defs, nil)
				}
				if asJSON {
					return writeKPIJSON(out, rep)
				}
				return writeKPITable(out, rep)
			})
		},
	}
	fl := cmd.Flags()
	wf.add(cmd)
	fl.StringVar(&by, "by", "", "break CSAT and NPS down by segment, touchpoint or source")
	fl.StringVar(&since, "since", "", "read the KPIs from the programme's go-live (go-live) to --at")
	fl.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// windowFlags are --at and --window, shared by the KPI commands. An empty
// --window means each KPI's own default window (the kpi command) or def.
type windowFlags struct{ at, length, def string }

func (f *windowFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.at, "at", "", "end of the window (a date like 2026-11-01 or RFC 3339, truncated to the hour; default now)")
	usage := "length of the window in whole hours or days (1h to 365d)"
	if f.def == "" {
		usage += "; default: each KPI's own window"
	}
	cmd.Flags().StringVar(&f.length, "window", f.def, usage)
}

// window is the window the flags name; with no --window, its length is
// a placeholder (each KPI then takes its own).
func (f *windowFlags) window() (kpi.Window, error) {
	at, err := timeFlag("--at", f.at, time.Now().UTC())
	if err != nil {
		return kpi.Window{}, err
	}
	text := f.length
	if text == "" {
		text = "7d"
	}
	length, err := model.ParseDuration(text)
	var w kpi.Window
	if err == nil {
		w, err = kpi.NewWindow(at, length)
	}
	if err != nil {
		return kpi.Window{}, usagef("--window %q: use whole hours or days from 1h to 365d (like 24h, 7d, 30d)", f.length)
	}
	return w, nil
}

// kpiSettings resolves the config's [kpi] section.
func (a *app) kpiSettings() (kpi.Settings, error) {
	return a.cfg.KPI, nil
}

// viewRollups opens the store read-only and runs fn on one consistent view
// of its rollups, refusing rollups older than the KPIs read.
func (a *app) viewRollups(fn func(r *store.Rollups) error) error {
	return a.viewStore(func(_ *store.Store, r *store.Rollups) error { return fn(r) })
}

// viewStore is viewRollups for readers that also read records (a join of
// per-ticket counters with the tickets).
func (a *app) viewStore(fn func(s *store.Store, r *store.Rollups) error) error {
	s, err := a.openStore(false)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.RollupsOutdated(); err != nil {
		return err
	}
	return s.ViewRollups(func(r *store.Rollups) error { return fn(s.Store, r) })
}

type kpiJSON struct {
	ID       string   `json:"id"`
	Value    *float64 `json:"value"`
	N        int64    `json:"n"`
	Target   *float64 `json:"target"`
	Status   string   `json:"status"`
	Baseline *float64 `json:"baseline"`
	Delta    *float64 `json:"delta"`
	// DeltaUnit is how delta reads: "pp" (percentage points: delta is a
	// difference of shares), "pts", "h", "★" or "" (a count).
	DeltaUnit   string `json:"delta_unit"`
	At          string `json:"at"`
	WindowHours int    `json:"window_hours"`
	Note        string `json:"note,omitempty"`
}

func windowJSON(w kpi.Window) (string, int) { return w.At.Format(time.RFC3339), w.HoursLong() }

func writeJSON(out io.Writer, doc any) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func writeKPIJSON(out io.Writer, rep kpi.Report) error {
	doc := struct {
		At          string    `json:"at"`
		WindowHours int       `json:"window_hours"`
		KPIs        []kpiJSON `json:"kpis"`
	}{KPIs: []kpiJSON{}}
	doc.At, doc.WindowHours = windowJSON(rep.Window)
	for _, v := range rep.KPIs {
		k := kpiJSON{ID: v.ID, Value: v.Value, N: v.N, Status: v.Status, Baseline: v.Baseline, Delta: v.Delta,
			DeltaUnit: v.DeltaUnit(), Note: v.Note}
		k.At, k.WindowHours = windowJSON(v.Window)
		if v.Dir != kpi.NoDirection {
			t := v.Target
			k.Target = &t
		}
		doc.KPIs = append(doc.KPIs, k)
	}
	return writeJSON(out, doc)
}

// statusMark pairs each status with a symbol, so it reads without colour.
var statusMark = map[string]string{kpi.StatusOK: "ok", kpi.StatusWarn: "WARN", kpi.StatusBreach: "BREACH", kpi.StatusNone: ""}

func windowTitle(what string, w kpi.Window) string {
	from := w.At.Add(-w.Length)
	return fmt.Sprintf("%s %s → %s (%dh)", what, from.Format("2006-01-02 15:04"), w.At.Format("2006-01-02 15:04Z"), w.HoursLong())
}

// newTable is an aligned table with two spaces between columns; numbers
// are right-aligned by padding in the cells that hold them.
func newTable(out io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(out, 0, 0, 2, ' ', 0) }

func writeKPITable(out io.Writer, rep kpi.Report) error {
	if sameWindow(rep) {
		fmt.Fprintf(out, "%s, baseline: the %dh before\n\n", windowTitle("KPIs", rep.Window), rep.Window.HoursLong())
	} else {
		fmt.Fprintf(out, "KPIs at %s, each over its own window (WINDOW), baseline: the window before\n\n", rep.Window.At.Format("2006-01-02 15:04Z"))
	}
	tw := newTable(out)
	fmt.Fprintln(tw, "KPI\tVALUE\tTARGET\tSTATUS\tΔ BASELINE\tWINDOW\tN")
	for _, v := range rep.KPIs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\n", model.Sanitize(v.Label), v.Text(), targetText(v),
			statusMark[v.Status], kpi.FormatDelta(v.DeltaUnit(), v.Delta), windowCell(v), v.N)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	writeNotes(out, rep)
	return nil
}

// windowCell is what a KPI was read over: "30d", or for a state (the
// backlog) the hour it was counted at.
func windowCell(v kpi.Value) string {
	if v.Cumulative {
		return "@" + v.Window.At.Format("15:04")
	}
	return ShortWindow(v.Window.Length)
}

// sameWindow reports whether every KPI of rep was read over rep.Window.
func sameWindow(rep kpi.Report) bool {
	for _, v := range rep.KPIs {
		if v.Window != rep.Window {
			return false
		}
	}
	return true
}

// targetText is "≥ 85.0%", "≤ 24.0h", or "-" for a KPI without a target.
func targetText(v kpi.Value) string {
	if v.Dir == kpi.NoDirection {
		return "-"
	}
	cmp := "≥ "
	if v.Dir == kpi.LowerIsBetter {
		cmp = "≤ "
	}
	return cmp + kpi.Format(v.Unit, &v.Target, false)
}

// writeNotes lists what a reader must know about some values (ROI without
// a cost, a window longer than the history) under the table, so the
// table stays narrow.
func writeNotes(out io.Writer, rep kpi.Report) {
	first := true
	for _, v := range rep.KPIs {
		if v.Note == "" {
			continue
		}
		if first {
			fmt.Fprintln(out)
			first = false
		}
		fmt.Fprintf(out, "%s: %s\n", model.Sanitize(v.Label), v.Note)
	}
}

// writeSinceGoLiveTable is the programme view: each KPI since go-live
// against its value before (the configured baseline, or the same span
// before go-live).
func writeSinceGoLiveTable(out io.Writer, rep kpi.Report, p kpi.Programme) error {
	fmt.Fprintf(out, "KPIs since go-live %s → %s (%s), baseline: [programme.baselines] or the %s before\n\n",
		p.GoLive.Format("2006-01-02"), rep.Window.At.Format("2006-01-02 15:04Z"), ShortWindow(rep.Window.Length), ShortWindow(rep.Window.Length))
	tw := newTable(out)
	fmt.Fprintln(tw, "KPI\tSINCE GO-LIVE\tBEFORE\tΔ\tTARGET\tSTATUS\tN")
	for _, v := range rep.KPIs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\n", model.Sanitize(v.Label), v.Text(), kpi.Format(v.Unit, v.Baseline, false),
			kpi.FormatDelta(v.DeltaUnit(), v.Delta), targetText(v), statusMark[v.Status], v.N)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	writeNotes(out, rep)
	return nil
}

// ShortWindow writes a window length as days when whole ("30d"), else
// hours ("36h").
func ShortWindow(d time.Duration) string {
	if d > 0 && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return fmt.Sprintf("%dh", d/time.Hour)
}

type breakdownJSON struct {
	Value string   `json:"value"`
	CSAT  *float64 `json:"csat"`
	CSATN int64    `json:"csat_n"`
	NPS   *float64 `json:"nps"`
	NPSN  int64    `json:"nps_n"`
}

func writeBreakdownTable(out io.Writer, w kpi.Window, by string, rows []kpi.BreakdownRow) error {
	fmt.Fprintf(out, "%s by %s\n\n", windowTitle("CSAT and NPS", w), by)
	if len(rows) == 0 {
		fmt.Fprintln(out, "no CSAT or NPS answers in this window")
		return nil
	}
	tw := newTable(out)
	fmt.Fprintf(tw, "%s\tCSAT\tN\tNPS\tN\n", strings.ToUpper(by))
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%d\n", model.Sanitize(r.Value), kpi.Format("%", r.CSAT, false), r.CSATN, kpi.Format("pts", r.NPS, true), r.NPSN)
	}
	return tw.Flush()
}
