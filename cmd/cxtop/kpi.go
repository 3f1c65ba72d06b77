package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store"
)

func (a *app) kpiCommand() *cobra.Command {
	var (
		atFlag     string
		windowFlag string
		asJSON     bool
	)
	cmd := &cobra.Command{
		Use:   "kpi",
		Short: "Show every CX KPI over a window, against its target and the previous window",
		Long: `Compute the CX KPIs (docs/kpis.md) from the store's hourly rollups over the window
[--at − --window, --at), --at truncated to the hour, with the previous window as baseline.`,
		Example: "  cxtop kpi --db cx.db --window 7d\n  cxtop kpi --db cx.db --at 2026-11-01T00:00:00Z --window 30d --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			at, err := timeFlag("--at", atFlag, time.Now().UTC())
			if err != nil {
				return err
			}
			length, err := model.ParseDuration(windowFlag)
			if err == nil {
				_, err = kpi.NewWindow(at, length)
			}
			if err != nil {
				return usagef("--window %q: use whole hours or days from 1h to 365d (like 24h, 7d, 30d)", windowFlag)
			}
			w, _ := kpi.NewWindow(at, length)
			s, err := a.openStore(false)
			if err != nil {
				return err
			}
			defer s.Close()
			var rep kpi.Report
			err = s.ViewRollups(func(r *store.Rollups) error {
				rep = kpi.Compute(r, w, kpi.Defs(), nil)
				return nil
			})
			if err != nil {
				return err
			}
			if asJSON {
				return writeKPIJSON(cmd.OutOrStdout(), rep)
			}
			return writeKPITable(cmd.OutOrStdout(), rep)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&atFlag, "at", "", "end of the window (RFC 3339, truncated to the hour; default now)")
	fl.StringVar(&windowFlag, "window", "7d", "length of the window in whole hours or days (1h to 365d)")
	fl.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
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

func writeKPIJSON(out io.Writer, rep kpi.Report) error {
	doc := struct {
		At          string    `json:"at"`
		WindowHours int       `json:"window_hours"`
		KPIs        []kpiJSON `json:"kpis"`
	}{At: rep.Window.At.Format(time.RFC3339), WindowHours: rep.Window.HoursLong()}
	for _, v := range rep.KPIs {
		k := kpiJSON{ID: v.ID, Value: v.Value, N: v.N, Status: v.Status, Baseline: v.Baseline, Delta: v.Delta}
		if v.Dir != kpi.NoDirection {
			t := v.Target
			k.Target = &t
		}
		doc.KPIs = append(doc.KPIs, k)
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// statusMark pairs each status with a symbol, so it reads without colour.
var statusMark = map[string]string{kpi.StatusOK: "ok", kpi.StatusWarn: "WARN", kpi.StatusBreach: "BREACH", kpi.StatusNone: ""}

func writeKPITable(out io.Writer, rep kpi.Report) error {
	from := rep.Window.At.Add(-rep.Window.Length)
	fmt.Fprintf(out, "KPIs %s → %s (%dh), baseline: the %dh before\n\n", from.Format("2006-01-02 15:04"),
		rep.Window.At.Format("2006-01-02 15:04Z"), rep.Window.HoursLong(), rep.Window.HoursLong())
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", v.Label, kpi.Format(v.Unit, v.Value, false), target,
			statusMark[v.Status], kpi.Format(v.Unit, v.Delta, true), v.N)
	}
	return tw.Flush()
}
