package main

import (
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store"
)

func (a *app) abCommand() *cobra.Command {
	var (
		wf     = windowFlags{def: "7d"}
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "ab",
		Short: "Compare the form completion rate of each A/B variant with the control's",
		Long: `For the form sessions of the window (docs/kpis.md): completion rate per variant
(form_completed / form_started), lift over the control (kpi.ab_control in the config,
default "A"), the two-sided p-value of a two-proportion z-test, and whether the variant
wins (lift ≥ 15% and p < 0.05).`,
		Example: "  cxtop ab --db cx.db --window 30d",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w, err := wf.window()
			if err != nil {
				return err
			}
			settings, err := a.kpiSettings()
			if err != nil {
				return err
			}
			return a.viewRollups(func(r *store.Rollups) error {
				vs := kpi.AB(r, w, settings.ABControl, kpi.ABVariants(r.Metrics("ev.form_started|variant=")))
				if asJSON {
					return writeABJSON(cmd.OutOrStdout(), w, vs)
				}
				return writeABTable(cmd.OutOrStdout(), w, vs)
			})
		},
	}
	wf.add(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

type variantJSON struct {
	Variant   string   `json:"variant"`
	Control   bool     `json:"control"`
	Started   int64    `json:"started"`
	Completed int64    `json:"completed"`
	Rate      *float64 `json:"completion_rate"`
	Lift      *float64 `json:"lift"`
	PValue    *float64 `json:"p_value"`
	Wins      bool     `json:"wins"`
}

func writeABJSON(out io.Writer, w kpi.Window, vs []kpi.Variant) error {
	doc := struct {
		At          string        `json:"at"`
		WindowHours int           `json:"window_hours"`
		Variants    []variantJSON `json:"variants"`
	}{Variants: []variantJSON{}}
	doc.At, doc.WindowHours = windowJSON(w)
	for _, v := range vs {
		doc.Variants = append(doc.Variants, variantJSON{v.Name, v.Control, v.Started, v.Completed, v.Rate, v.Lift, v.PValue, v.Wins})
	}
	return writeJSON(out, doc)
}

func writeABTable(out io.Writer, w kpi.Window, vs []kpi.Variant) error {
	fmt.Fprintf(out, "%s\na variant wins with a lift ≥ %.0f%% over the control and p < %.2f\n\n", windowTitle("Form A/B", w), kpi.WinLift*100, kpi.WinP)
	tw := newTable(out)
	fmt.Fprintln(tw, "VARIANT\tSTARTED\tCOMPLETED\tRATE\tLIFT\tP-VALUE\tRESULT")
	for _, v := range vs {
		result := ""
		switch {
		case v.Control:
			result = "control"
		case v.Wins:
			result = "WINS"
		case v.PValue != nil:
			result = "no win"
		}
		p := "-"
		if v.PValue != nil {
			p = strconv.FormatFloat(*v.PValue, 'g', 3, 64)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%s\n", model.Sanitize(v.Name), v.Started, v.Completed,
			kpi.Format("%", v.Rate, false), kpi.Format("%", v.Lift, true), p, result)
	}
	return tw.Flush()
}
