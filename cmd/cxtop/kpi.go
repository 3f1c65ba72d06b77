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
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "kpi",
		Short: "Show every CX KPI over a window, against its target and the previous window",
		Long: `Compute the CX KPIs (docs/kpis.md) from the store's hourly rollups over the window
[--at − --window, --at), --at truncated to the hour, with the previous window as baseline.
Targets, margins and the programme cost come from the [kpi] section of the config.
--by segment|touchpoint|source shows CSAT and NPS per value of that dimension instead.`,
		Example: "  cxtop kpi --db cx.db --window 7d\n  cxtop kpi --db cx.db --at 2026-11-01T00:00:00Z --window 30d --json\n  cxtop kpi --db cx.db --by segment",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w, err := wf.window()
			if err != nil {
				return err
			}
			if _, ok := kpi.BreakdownDims[by]; by != "" && !ok {
				return usagef("--by %q: use segment, touchpoint or source", by)
			}
			settings, err := a.kpiSettings()
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			return a.viewRollups(func(r *store.Rollups) error {
				if by != "" {
					rows, err := kpi.Breakdown(r, w, by, kpi.BreakdownValues(r.Metrics("fb."), by))
					if err != nil {
						return err
					}
					if asJSON {
						return writeBreakdownJSON(out, w, by, rows)
					}
					return writeBreakdownTable(out, w, by, rows)
				}
				rep := kpi.Compute(r, w, settings.Defs, nil)
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
	fl.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// windowFlags are --at and --window, shared by the KPI commands.
type windowFlags struct{ at, length string }

func (f *windowFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.at, "at", "", "end of the window (RFC 3339, truncated to the hour; default now)")
	cmd.Flags().StringVar(&f.length, "window", "7d", "length of the window in whole hours or days (1h to 365d)")
}

func (f *windowFlags) window() (kpi.Window, error) {
	at, err := timeFlag("--at", f.at, time.Now().UTC())
	if err != nil {
		return kpi.Window{}, err
	}
	length, err := model.ParseDuration(f.length)
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
	s, err := a.openStore(false)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.RollupsOutdated(); err != nil {
		return err
	}
	return s.ViewRollups(fn)
}

type kpiJSON struct {
	ID       string   `json:"id"`
	Value    *float64 `json:"value"`
	N        int64    `json:"n"`
	Target   *float64 `json:"target"`
	Status   string   `json:"status"`
	Baseline *float64 `json:"baseline"`
	Delta    *float64 `json:"delta"`
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
		k := kpiJSON{ID: v.ID, Value: v.Value, N: v.N, Status: v.Status, Baseline: v.Baseline, Delta: v.Delta}
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
	fmt.Fprintf(out, "%s, baseline: the %dh before\n\n", windowTitle("KPIs", rep.Window), rep.Window.HoursLong())
	tw := newTable(out)
	fmt.Fprintln(tw, "KPI\tVALUE\tTARGET\tSTATUS\tΔ BASELINE\tN")
	for _, v := range rep.KPIs {
		target := "-"
		if v.Dir != kpi.NoDirection {
			cmp := "≥ "
			if v.Dir == kpi.LowerIsBetter {
				cmp = "≤ "
			}
			target = cmp + kpi.Format(v.Unit, &v.Target, false)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", model.Sanitize(v.Label), kpi.Format(v.Unit, v.Value, false), target,
			statusMark[v.Status], kpi.Format(v.Unit, v.Delta, true), v.N)
	}
	return tw.Flush()
}

type breakdownJSON struct {
	Value string   `json:"value"`
	CSAT  *float64 `json:"csat"`
	CSATN int64    `json:"csat_n"`
	NPS   *float64 `json:"nps"`
	NPSN  int64    `json:"nps_n"`
}

func writeBreakdownJSON(out io.Writer, w kpi.Window, by string, rows []kpi.BreakdownRow) error {
	doc := struct {
		At          string          `json:"at"`
		WindowHours int             `json:"window_hours"`
		By          string          `json:"by"`
		Rows        []breakdownJSON `json:"rows"`
	}{By: by, Rows: []breakdownJSON{}}
	doc.At, doc.WindowHours = windowJSON(w)
	for _, r := range rows {
		doc.Rows = append(doc.Rows, breakdownJSON{r.Value, r.CSAT, r.CSATN, r.NPS, r.NPSN})
	}
	return writeJSON(out, doc)
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
