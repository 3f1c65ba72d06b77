package kpi

import (
	"slices"
	"strings"

	"github.com/cxtop/cxtop/model"
)

// NPS categories in display order.
var NPSCategories = []string{"promoter", "passive", "detractor"}

// NPSRevenueRow is the revenue and churn of one NPS category in one
// segment ("monetized NPS").
type NPSRevenueRow struct {
	Segment, Category string
	// Customers answered NPS in the window and fall in the category by the
	// mean score of their answers in it; Revenue is what they spent in it
	// (purchase amounts, minor units).
	Customers, Revenue int64
	// PrevCustomers fell in the category in the previous window; Churned
	// are those of them with no record at all in this window.
	PrevCustomers, Churned int64
}

// NPSRevenue is revenue and churn per segment and NPS category over w
// (docs/kpis.md). Rows come sorted by segment, then category; a segment
// appears when it has a customer in either window.
func NPSRevenue(src Source, w Window) []NPSRevenueRow {
	from, to := w.Hours()
	pfrom, pto := w.Previous().Hours()
	rows := map[[2]string]*NPSRevenueRow{}
	row := func(seg, cat string) *NPSRevenueRow {
		k := [2]string{seg, cat}
		if rows[k] == nil {
			rows[k] = &NPSRevenueRow{Segment: seg, Category: cat}
		}
		return rows[k]
	}
	revenue := src.BySuffix(model.MRevenueCustomer, from, to)
	for suffix, cat := range customerCategories(src, from, to) {
		seg, cust, _ := strings.Cut(suffix, "/")
		r := row(seg, cat)
		r.Customers++
		r.Revenue += revenue[cust]
	}
	if pto > pfrom {
		active := src.BySuffix(model.MActive, from, to)
		for suffix, cat := range customerCategories(src, pfrom, pto) {
			seg, cust, _ := strings.Cut(suffix, "/")
			r := row(seg, cat)
			r.PrevCustomers++
			if active[cust] == 0 {
				r.Churned++
			}
		}
	}
	// Every category of a segment that appears, so tables line up.
	for k := range rows {
		for _, cat := range NPSCategories {
			row(k[0], cat)
		}
	}
	out := make([]NPSRevenueRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b NPSRevenueRow) int {
		if c := strings.Compare(a.Segment, b.Segment); c != 0 {
			return c
		}
		return slices.Index(NPSCategories, a.Category) - slices.Index(NPSCategories, b.Category)
	})
	return out
}

// customerCategories maps "segment/customer" to the NPS category of the
// mean of the customer's answers in [from, to).
func customerCategories(src Source, from, to uint32) map[string]string {
	sums := src.BySuffix(model.MNPSCustomerSum, from, to)
	out := map[string]string{}
	for suffix, n := range src.BySuffix(model.MNPSCustomerN, from, to) {
		if n > 0 {
			out[suffix] = MeanNPSCategory(sums[suffix], n)
		}
	}
	return out
}

// MeanNPSCategory is the category of a mean score sum/n, compared in
// integers so it is exact: promoter when the mean is ≥ 9, passive ≥ 7.
func MeanNPSCategory(sum, n int64) string {
	switch {
	case sum >= 9*n:
		return "promoter"
	case sum >= 7*n:
		return "passive"
	}
	return "detractor"
}

// MinCellCustomers is the fewest customers a per-category figure (revenue
// per customer, churn) is compared on; below it a table marks the cell.
const MinCellCustomers = 10

// FewCustomers reports whether a cell of n customers is too small to
// compare (but not empty).
func FewCustomers(n int64) bool { return n > 0 && n < MinCellCustomers }
