package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/tui"
)

// reportTitle names the report and its period.
func reportTitle(d reportDoc) string {
	from := d.At.Add(-time.Duration(d.WindowHours) * time.Hour)
	name := "Weekly stand-up"
	if d.Kind == reportMonthly {
		name = "Monthly review"
	}
	return fmt.Sprintf("%s: %s → %s", name, from.Format("2006-01-02 15:04"), d.At.Format("2006-01-02 15:04Z"))
}

// reportSource says what the report was read from.
func reportSource(d reportDoc) string {
	s := "store " + d.Store
	if d.Snapshot != nil {
		s = fmt.Sprintf("snapshot %s taken %s", d.Store, d.Snapshot.TakenAt.Format("2006-01-02 15:04Z"))
		if d.Snapshot.Masked {
			s += ", personal data masked"
		}
	}
	return s
}

// sparkline draws points scaled between their minimum and maximum; a point
// without data is a space.
func sparkline(points []*float64) string {
	runes := []rune("▁▂▃▄▅▆▇█")
	lo, hi, any := 0.0, 0.0, false
	for _, p := range points {
		if p == nil {
			continue
		}
		if !any || *p < lo {
			lo = *p
		}
		if !any || *p > hi {
			hi = *p
		}
		any = true
	}
	var b strings.Builder
	for _, p := range points {
		switch {
		case p == nil:
			b.WriteRune(' ')
		case hi == lo:
			b.WriteRune(runes[len(runes)/2])
		default:
			b.WriteRune(runes[int((*p-lo)/(hi-lo)*float64(len(runes)-1)+0.5)])
		}
	}
	return b.String()
}

func floats(xs []int64) []*float64 {
	out := make([]*float64, len(xs))
	for i, x := range xs {
		f := float64(x)
		out[i] = &f
	}
	return out
}

// mdCell makes record text safe in a Markdown table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ").Replace(model.Sanitize(s))
}

func kpiTarget(k reportKPI) string {
	if k.Target == nil {
		return "-"
	}
	cmp := "≥ "
	if k.Better == "lower" {
		cmp = "≤ "
	}
	return cmp + kpi.Format(k.Unit, k.Target, false)
}

func reportDelta(k reportKPI) string { return kpi.FormatDelta(kpi.DeltaUnitOf(k.Unit), k.Delta) }

// kpiState is a KPI's status in words, with the wrong-way mark.
func kpiState(k reportKPI) string {
	s := map[string]string{kpi.StatusOK: "ok", kpi.StatusWarn: "WARN", kpi.StatusBreach: "BREACH"}[k.Status]
	if k.WrongWay {
		if s != "" {
			s += ", "
		}
		s += "wrong way"
	}
	return s
}

func writeReportMarkdown(w io.Writer, d reportDoc) error {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	step := time.Duration(d.TrendStepHours) * time.Hour
	p("# %s\n\nFrom the %s. Every KPI over the %dh window, against its target and the %dh before; trends per %s.\n\n",
		reportTitle(d), reportSource(d), d.WindowHours, d.WindowHours, shortStep(step))

	hot := 0
	for _, k := range d.KPIs {
		if k.Hot {
			hot++
		}
	}
	p("## KPIs (%d hot: in breach, at warning or moving the wrong way)\n\n", hot)
	if note := goLiveLine(d); note != "" {
		p("%s\n\n", note)
	}
	since := d.GoLive != nil && d.GoLiveNote == ""
	if since {
		p("| KPI | value | since go-live | target | status | change | trend | n |\n|---|---:|---:|---:|---|---:|---|---:|\n")
	} else {
		p("| KPI | value | target | status | change | trend | n |\n|---|---:|---:|---|---:|---|---:|\n")
	}
	for _, k := range d.KPIs {
		col := ""
		if since {
			col = " " + sinceText(k) + " |"
		}
		p("| %s | %s |%s %s | %s | %s | `%s` | %d |\n", mdCell(k.Label), kpi.Format(k.Unit, k.Value, false), col, kpiTarget(k), kpiState(k), reportDelta(k), sparkline(k.Trend), k.N)
	}

	p("\n## Alerts that fired or still fire (%d)\n\n", len(d.Alerts))
	if len(d.Alerts) == 0 {
		p("None.\n")
	}
	for _, a := range d.Alerts {
		p("- %s **%s** %s\n", a.At.Format("2006-01-02 15:04Z"), mdCell(a.Severity), mdCell(a.Message))
	}

	p("\n## Sub-types, most grown first (tickets created, against the %dh before)\n\n", d.WindowHours)
	p("| sub-type | created | before | change | volume |\n|---|---:|---:|---:|---|\n")
	for i, s := range d.SubTypes {
		if d.Kind == reportWeekly && i == 5 {
			break
		}
		p("| %s | %d | %d | %+d | `%s` |\n", mdCell(s.SubType), s.Created, s.Previous, s.Growth, sparkline(floats(s.Volume)))
	}

	p("\n## SLA breaches per department\n\n| department | done with an SLA | breaches | compliance |\n|---|---:|---:|---:|\n")
	for _, s := range d.SLAByDept {
		p("| %s | %d | %d | %s |\n", mdCell(s.Department), s.Resolved, s.Breaches, kpi.Format("%", s.Compliance, false))
	}

	p("\n## Detractors not yet contacted (%d)\n\n", d.WaitingTotal)
	if d.WaitingTotal == 0 {
		p("None.\n")
	}
	for _, l := range d.Waiting {
		p("- %s, customer %s, waiting %s\n", mdCell(l.Ticket), mdCell(l.Customer), tui.ShortDuration(d.At.Sub(l.Since)))
	}
	if d.WaitingTotal > len(d.Waiting) {
		p("- … and %d more\n", d.WaitingTotal-len(d.Waiting))
	}
	if d.Kind != reportMonthly {
		return nil
	}
	writeMonthlyMarkdown(p, d)
	return nil
}

func writeMonthlyMarkdown(p func(string, ...any), d reportDoc) {
	p("\n## What improved, what worsened (against the %dh before)\n\n", d.WindowHours)
	for _, part := range []struct {
		title string
		ids   []string
	}{{"Improved", d.Improved}, {"Worsened", d.Worsened}} {
		var names []string
		for _, id := range part.ids {
			for _, k := range d.KPIs {
				if k.ID == id {
					names = append(names, fmt.Sprintf("%s (%s)", k.Label, reportDelta(k)))
				}
			}
		}
		if len(names) == 0 {
			names = []string{"nothing"}
		}
		p("- **%s**: %s\n", part.title, mdCell(strings.Join(names, ", ")))
	}
	p("\n## Closed loop\n\n| KPI | value | target | status |\n|---|---:|---:|---|\n")
	for _, k := range d.KPIs {
		if k.Group == kpi.GroupLoop {
			p("| %s | %s | %s | %s |\n", mdCell(k.Label), kpi.Format(k.Unit, k.Value, false), kpiTarget(k), kpiState(k))
		}
	}
	for _, part := range []struct {
		title string
		rows  []breakdownJSON
	}{{"segment", d.Segments}, {"touchpoint", d.Touchpoints}} {
		p("\n## CSAT and NPS by %s\n\n| %s | CSAT | n | NPS | n |\n|---|---:|---:|---:|---:|\n", part.title, part.title)
		for _, r := range part.rows {
			p("| %s | %s | %d | %s | %d |\n", mdCell(r.Value), kpi.Format("%", r.CSAT, false), r.CSATN, kpi.Format("pts", r.NPS, true), r.NPSN)
		}
	}
	p("\n## NPS against revenue per segment\n\n| segment | category | customers | revenue (%[1]s) | per customer (%[1]s) | churned |\n|---|---|---:|---:|---:|---:|\n", d.Currency)
	for _, r := range d.NPSRevenue {
		p("| %s | %s | %d | %s | %s | %d/%d |\n", mdCell(r.Segment), r.Category, r.Customers, d.cur.FormatFloat(float64(r.Revenue)), money(d.cur, r.RevenuePerCustomer), r.Churned, r.PrevCustomers)
	}
	p("\n## A/B forms\n\n| variant | started | completed | completion | lift | p | wins |\n|---|---:|---:|---:|---:|---:|---|\n")
	for _, v := range d.AB {
		win := ""
		if v.Wins {
			win = "yes"
		}
		name := mdCell(v.Variant)
		if v.Control {
			name += " (control)"
		}
		p("| %s | %d | %d | %s | %s | %s | %s |\n", name, v.Started, v.Completed, kpi.Format("%", v.Rate, false), kpi.Format("%", v.Lift, true), kpi.Format("score", v.PValue, false), win)
	}
	for _, by := range []string{"type", "subtype", "department"} {
		p("\n## Tickets by %s\n\n| %s | new | backlog | done | handling | SLA | CSAT res | success |\n|---|---:|---:|---:|---:|---:|---:|---:|\n", by, by)
		for _, r := range d.Tickets[by] {
			p("| %s | %d | %d | %d | %s | %s | %s | %s |\n", mdCell(r.Value), r.Created, r.Backlog, r.Resolved,
				kpi.Format("h", r.HandlingH, false), kpi.Format("%", r.SLA, false), kpi.Format("%", r.CSATPostRes, false), kpi.Format("%", r.Success, false))
		}
	}
}

// goLiveLine says what the since go-live column holds, or why there is
// none ("" without a programme go-live).
func goLiveLine(d reportDoc) string {
	switch {
	case d.GoLive == nil:
		return ""
	case d.GoLiveNote != "":
		return "No since go-live column: " + d.GoLiveNote + "."
	}
	return fmt.Sprintf("Since go-live: each KPI from the programme's go-live %s to %s, with its change against before go-live ([programme.baselines], else the same span before).",
		d.GoLive.Format(time.DateOnly), d.At.Format("2006-01-02 15:04Z"))
}

// sinceText is a KPI since go-live with its change against before go-live:
// "87.2% (+3.1 pp)".
func sinceText(k reportKPI) string {
	g := k.SinceGoLive
	if g == nil {
		return "-"
	}
	s := kpi.Format(k.Unit, g.Value, false)
	if g.Delta != nil {
		s += " (" + kpi.FormatDelta(kpi.DeltaUnitOf(k.Unit), g.Delta) + ")"
	}
	return s
}

// money writes an amount in minor units in the report's currency, "-"
// when there is none.
func money(cur model.Currency, v *float64) string {
	if v == nil {
		return "-"
	}
	return cur.FormatFloat(*v)
}

func shortStep(d time.Duration) string {
	if d == 7*24*time.Hour {
		return "week"
	}
	return "day"
}
