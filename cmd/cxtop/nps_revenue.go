package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store"
)

func (a *app) npsRevenueCommand() *cobra.Command {
	var (
		wf     windowFlags
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "nps-revenue",
		Short: "Revenue and churn of promoters, passives and detractors per segment",
		Long: `Monetized NPS over the window (docs/kpis.md): per segment and NPS category (by the mean
of each customer's NPS answers in the window), the customers, their revenue and revenue per
customer; and of the customers in the category in the previous window, those with no record
at all in this one (churned) and the churn rate.`,
		Example: "  cxtop nps-revenue --db cx.db --window 30d --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w, err := wf.window()
			if err != nil {
				return err
			}
			return a.viewRollups(func(r *store.Rollups) error {
				rows := kpi.NPSRevenue(r, w)
				if asJSON {
					return writeNPSRevenueJSON(cmd.OutOrStdout(), w, rows)
				}
				return writeNPSRevenueTable(cmd.OutOrStdout(), w, rows)
			})
		},
	}
	wf.add(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

type npsRevenueJSON struct {
	Segment            string   `json:"segment"`
	Category           string   `json:"category"`
	Customers          int64    `json:"customers"`
	Revenue            int64    `json:"revenue"`
	RevenuePerCustomer *float64 `json:"revenue_per_customer"`
	PrevCustomers      int64    `json:"previous_customers"`
	Churned            int64    `json:"churned"`
	ChurnRate          *float64 `json:"churn_rate"`
}

func perCustomer(num, den int64) *float64 {
	if den == 0 {
		return nil
	}
	v := float64(num) / float64(den)
	return &v
}

func writeNPSRevenueJSON(out io.Writer, w kpi.Window, rows []kpi.NPSRevenueRow) error {
	doc := struct {
		At          string           `json:"at"`
		WindowHours int              `json:"window_hours"`
		Rows        []npsRevenueJSON `json:"rows"`
	}{Rows: []npsRevenueJSON{}}
	doc.At, doc.WindowHours = windowJSON(w)
	for _, r := range rows {
		doc.Rows = append(doc.Rows, npsRevenueJSON{r.Segment, r.Category, r.Customers, r.Revenue,
			perCustomer(r.Revenue, r.Customers), r.PrevCustomers, r.Churned, perCustomer(r.Churned, r.PrevCustomers)})
	}
	return writeJSON(out, doc)
}

// money shows minor units as major units with two decimals.
func money(minor int64) string { return fmt.Sprintf("%.2f", float64(minor)/100) }

func writeNPSRevenueTable(out io.Writer, w kpi.Window, rows []kpi.NPSRevenueRow) error {
	fmt.Fprintf(out, "%s\nchurned: in the category in the %dh before, no record since\n\n", windowTitle("NPS vs revenue", w), w.HoursLong())
	if len(rows) == 0 {
		fmt.Fprintln(out, "no NPS answers in this window or the one before")
		return nil
	}
	tw := newTable(out)
	fmt.Fprintln(tw, "SEGMENT\tCATEGORY\tCUSTOMERS\tREVENUE\tPER CUST.\tCHURNED\tCHURN")
	for _, r := range rows {
		per := "-"
		if p := perCustomer(r.Revenue, r.Customers); p != nil {
			per = fmt.Sprintf("%.2f", *p/100)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%d/%d\t%s\n", model.Sanitize(r.Segment), r.Category, r.Customers, money(r.Revenue), per,
			r.Churned, r.PrevCustomers, kpi.Format("%", perCustomer(r.Churned, r.PrevCustomers), false))
	}
	return tw.Flush()
}
