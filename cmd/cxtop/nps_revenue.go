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
		wf     = windowFlags{def: "90d"}
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "nps-revenue",
		Short: "Revenue and churn of promoters, passives and detractors per segment",
		Long: `Monetized NPS over the window (default 90 days, long enough for churn to mean
something; docs/kpis.md): per segment and NPS category (by the mean of each customer's NPS
answers in the window), the customers, their revenue and revenue per customer; and of the
customers in the category in the previous window, those with no record at all in this one
(churned) and the churn rate. Amounts are in the [programme] currency (VND by default).
A figure over fewer than ` + fmt.Sprint(kpi.MinCellCustomers) + ` customers is marked "*": too few to compare.`,
		Example: "  cxtop nps-revenue --db cx.db\n  cxtop nps-revenue --db cx.db --window 30d --json",
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
				rows := kpi.NPSRevenue(r, w)
				if asJSON {
					return writeNPSRevenueJSON(cmd.OutOrStdout(), w, rows, settings.Programme.Currency)
				}
				return writeNPSRevenueTable(cmd.OutOrStdout(), w, rows, settings.Programme.Currency)
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
	// FewCustomers and FewPrevious say a figure stands on fewer than
	// kpi.MinCellCustomers customers: too few to compare.
	FewCustomers bool `json:"few_customers"`
	FewPrevious  bool `json:"few_previous_customers"`
}

func perCustomer(num, den int64) *float64 {
	if den == 0 {
		return nil
	}
	v := float64(num) / float64(den)
	return &v
}

func writeNPSRevenueJSON(out io.Writer, w kpi.Window, rows []kpi.NPSRevenueRow, cur model.Currency) error {
	doc := struct {
		At          string           `json:"at"`
		WindowHours int              `json:"window_hours"`
		Currency    string           `json:"currency"`
		Rows        []npsRevenueJSON `json:"rows"`
	}{Rows: []npsRevenueJSON{}, Currency: cur.Unit()}
	doc.At, doc.WindowHours = windowJSON(w)
	for _, r := range rows {
		doc.Rows = append(doc.Rows, npsRevenueJSON{r.Segment, r.Category, r.Customers, r.Revenue,
			perCustomer(r.Revenue, r.Customers), r.PrevCustomers, r.Churned, perCustomer(r.Churned, r.PrevCustomers),
			kpi.FewCustomers(r.Customers), kpi.FewCustomers(r.PrevCustomers)})
	}
	return writeJSON(out, doc)
}

func writeNPSRevenueTable(out io.Writer, w kpi.Window, rows []kpi.NPSRevenueRow, cur model.Currency) error {
	fmt.Fprintf(out, "%s\nchurned: in the category in the %dh before, no record since; amounts in %s\n\n",
		windowTitle("NPS vs revenue", w), w.HoursLong(), cur.Unit())
	if len(rows) == 0 {
		fmt.Fprintln(out, "no NPS answers in this window or the one before")
		return nil
	}
	tw := newTable(out)
	fmt.Fprintln(tw, "SEGMENT\tCATEGORY\tCUSTOMERS\tREVENUE\tPER CUST.\tCHURNED\tCHURN")
	few := false
	for _, r := range rows {
		per := "-"
		if p := perCustomer(r.Revenue, r.Customers); p != nil {
			per = cur.FormatFloat(*p) + smallCell(r.Customers, &few)
		}
		churn := kpi.Format("%", perCustomer(r.Churned, r.PrevCustomers), false)
		if r.PrevCustomers > 0 {
			churn += smallCell(r.PrevCustomers, &few)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%d/%d\t%s\n", model.Sanitize(r.Segment), r.Category, r.Customers, cur.FormatFloat(float64(r.Revenue)), per,
			r.Churned, r.PrevCustomers, churn)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if few {
		fmt.Fprintf(out, "\n* fewer than %d customers: too few to compare\n", kpi.MinCellCustomers)
	}
	return nil
}

// smallCell is the mark of a figure over too few customers ("*"), and
// records that one was shown.
func smallCell(customers int64, shown *bool) string {
	if !kpi.FewCustomers(customers) {
		return ""
	}
	*shown = true
	return "*"
}
