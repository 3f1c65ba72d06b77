package kpi

import (
	"fmt"
	"time"

	"github.com/cxtop/cxtop/model"
)

// Programme is the [programme] section (and kpi.programme_cost,
// kpi.benefit_share) resolved: what the CX programme is measured against.
type Programme struct {
	// GoLive is when the programme started; zero when not configured.
	GoLive time.Time
	// YearlyCost is a running cost per year (minor currency units), pro-rated
	// to a window's hours.
	YearlyCost int64
	// BenefitShare is the share of digital revenue credited to the
	// programme.
	BenefitShare float64
	// Costs and Benefits are dated amounts (a licence, a set-up project, a
	// saving measured elsewhere): each counts in the windows holding its
	// date.
	Costs, Benefits []Entry
	// Baselines are the KPIs' values before the programme, by KPI id, in
	// the KPI's own units (csat 0.72, order_processing_h 120). "Since
	// go-live" compares with them.
	Baselines map[string]float64
	// BaselineDigitalRevenue is the digital revenue of a 30-day month
	// before go-live (minor units); digital revenue growth since go-live is
	// measured against it.
	BaselineDigitalRevenue int64
	Currency               model.Currency
}

// Entry is an amount on a date.
type Entry struct {
	At     time.Time
	Amount int64
	Label  string
}

// HasCost reports whether ROI can be computed at all.
func (p Programme) HasCost() bool { return p.YearlyCost > 0 || len(p.Costs) > 0 }

// entriesIn sums the entries dated in the hours [from, to).
func entriesIn(es []Entry, from, to uint32) int64 {
	var sum int64
	for _, e := range es {
		if h := model.HourOf(e.At); h >= from && h < to {
			sum += e.Amount
		}
	}
	return sum
}

// hoursPerYear pro-rates the yearly programme cost to a window.
const hoursPerYear = 365 * 24

// digitalRevenue is the digital purchase amounts metric.
var digitalRevenue = model.Dim(model.MPurchaseAmount, "digital", "true")

// hourSpanner is what a Source may offer: the first and last hour a metric
// has counts in (*store.Rollups does).
type hourSpanner interface {
	Hours(metric string) (first, last uint32, ok bool)
}

// covered clips [from, to) to the hours the store has digital revenue for,
// so a year's cost is never set against 90 days of benefit. ok is false
// when the source cannot say (then the window is taken as it is).
func covered(src Source, from, to uint32) (uint32, bool) {
	hs, ok := src.(hourSpanner)
	if !ok {
		return from, false
	}
	first, _, ok := hs.Hours(digitalRevenue)
	if !ok || first <= from {
		return from, ok
	}
	return min(first, to), true
}

// roi is the programme's return over the window: (benefit − cost) / cost,
// where benefit = share × digital revenue + benefit entries, and cost = the
// yearly cost pro-rated to the hours + cost entries, both over the part of
// the window the store has data for. No value without a cost.
func roi(p Programme) measure {
	return func(src Source, from, to uint32) (float64, int64, bool) {
		if !p.HasCost() || to <= from {
			return 0, 0, false
		}
		start, _ := covered(src, from, to)
		if start >= to {
			return 0, 0, false
		}
		cost := float64(p.YearlyCost)*float64(to-start)/hoursPerYear + float64(entriesIn(p.Costs, start, to))
		if cost <= 0 {
			return 0, 0, false
		}
		benefit := p.BenefitShare*float64(src.Sum(digitalRevenue, start, to)) + float64(entriesIn(p.Benefits, start, to))
		return (benefit - cost) / cost, src.Sum(model.Dim("ev."+model.EventPurchase, "digital", "true"), start, to), true
	}
}

// roiNote says what ROI needs or what it covers: never a silent "-".
func roiNote(p Programme) func(src Source, from, to uint32) (string, string) {
	return func(src Source, from, to uint32) (string, string) {
		if !p.HasCost() {
			return "no cost", "no cost configured: set kpi.programme_cost or [[programme.costs]]"
		}
		if start, ok := covered(src, from, to); ok && start > from && start < to {
			return "", fmt.Sprintf("over the %s of data the store holds, not %s (cost pro-rated)",
				shortHours(to-start), shortHours(to-from))
		}
		return "", ""
	}
}

// shortHours writes a span of hours as days when whole ("90d"), else hours.
func shortHours(h uint32) string {
	if h%24 == 0 {
		return fmt.Sprintf("%dd", h/24)
	}
	if h > 48 {
		return fmt.Sprintf("%.1fd", float64(h)/24)
	}
	return fmt.Sprintf("%dh", h)
}

// ErrNoGoLive is SinceGoLive's error when [programme] names no go-live.
var ErrNoGoLive = fmt.Errorf("no go-live date: set go_live in the [programme] section of the config (like go_live = 2026-09-01)")

// SinceGoLive reads every KPI of defs over [go-live, at), against the
// baselines of the programme where it names one, else against the same
// span before go-live. Digital revenue growth, given a monthly baseline
// revenue, is the growth over that baseline.
func SinceGoLive(src Source, p Programme, at time.Time, defs []Def) (Report, error) {
	if p.GoLive.IsZero() {
		return Report{}, ErrNoGoLive
	}
	at = at.UTC().Truncate(time.Hour)
	goLive := p.GoLive.UTC().Truncate(time.Hour)
	if !at.After(goLive) {
		return Report{}, fmt.Errorf("go-live %s is not before %s: nothing has happened since", p.GoLive.Format(time.DateOnly), at.Format(time.RFC3339))
	}
	w, err := NewWindow(at, at.Sub(goLive))
	if err != nil {
		return Report{}, fmt.Errorf("since go-live %s: %w", p.GoLive.Format(time.DateOnly), err)
	}
	src = WithPrefixSums(src)
	rep := Compute(src, w, defs, nil)
	from, to := w.Hours()
	for i := range rep.KPIs {
		v := &rep.KPIs[i]
		if b, ok := p.Baselines[v.ID]; ok {
			v.Baseline = &b
		}
		if v.ID == "digital_revenue_growth" && p.BaselineDigitalRevenue > 0 {
			expected := float64(p.BaselineDigitalRevenue) * float64(to-from) / (30 * 24)
			g := float64(src.Sum(digitalRevenue, from, to))/expected - 1
			v.Value, v.Baseline = &g, nil
			v.Note = "against programme.baseline_digital_revenue"
		}
		v.Delta = nil
		if v.Value != nil && v.Baseline != nil {
			d := *v.Value - *v.Baseline
			v.Delta = &d
		}
		v.Status = status(v.Def, v.Value)
	}
	return rep, nil
}
