package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store"
)

// Reports: the weekly stand-up and the monthly review (docs/offline.md).
const (
	reportWeekly  = "weekly"
	reportMonthly = "monthly"
)

func (a *app) reportCommand() *cobra.Command {
	var at, format, out string
	cmd := &cobra.Command{
		Use:   "report weekly|monthly",
		Short: "The weekly stand-up or the monthly review, as Markdown, JSON or one HTML file",
		Long: `Write the weekly stand-up report (the last 7 days: hot KPIs first — in breach, or moving
the wrong way — alerts that fired or still fire, the sub-types that grew most, SLA breaches per
department, detractors not yet contacted) or the monthly review (the last 30 days: a four-week
trend per KPI with its target, CSAT and NPS by segment and touchpoint, NPS against revenue per
segment, A/B results, closed-loop performance, ticket KPIs by type, sub-type and department, what
improved and what worsened month over month).

The figures are those of 'cxtop kpi --window 7d' (or 30d) at the same --at. --at defaults to
a snapshot's time on a snapshot (--db monday.db), else now. Markdown has sparklines; JSON has
every figure; HTML is one self-contained file with inline SVG charts that opens offline.`,
		Example: "  cxtop report weekly --db monday.db\n  cxtop report monthly --format html --out review.html\n  cxtop report weekly --at 2026-11-01 --format json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kind := args[0]
			if kind != reportWeekly && kind != reportMonthly {
				return usagef("report %q: use weekly or monthly", kind)
			}
			switch format {
			case "md", "json", "html":
			default:
				return usagef("--format %q: use md, json or html", format)
			}
			settings, err := a.kpiSettings()
			if err != nil {
				return err
			}
			s, err := a.openStore(false)
			if err != nil {
				return err
			}
			defer s.Close()
			if err := s.RollupsOutdated(); err != nil {
				return err
			}
			def := time.Now().UTC()
			info, isSnap, err := s.SnapshotInfo()
			if err != nil {
				return err
			}
			if isSnap {
				def = info.TakenAt
			}
			when, err := timeFlag("--at", at, def)
			if err != nil {
				return err
			}
			doc, err := buildReport(s.Store, kind, when, settings)
			if err != nil {
				return err
			}
			doc.Store = filepath.Base(a.dbPath)
			if isSnap {
				doc.Snapshot = &reportSnapshot{TakenAt: info.TakenAt, Masked: info.Masked}
			}
			return writeReportTo(cmd.OutOrStdout(), a.file(out), format, doc)
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "end of the report's period (a date or RFC 3339; default: the snapshot's time, else now)")
	cmd.Flags().StringVar(&format, "format", "md", "md, json or html")
	cmd.Flags().StringVar(&out, "out", "", "write to this file (mode 0600) instead of stdout")
	return cmd
}

// writeReportTo writes the report to path (or w when path is ""), whole or
// not at all: a temporary file renamed once written.
func writeReportTo(w io.Writer, path, format string, doc reportDoc) error {
	render := map[string]func(io.Writer, reportDoc) error{"md": writeReportMarkdown, "json": func(w io.Writer, d reportDoc) error { return writeJSON(w, d) }, "html": writeReportHTML}[format]
	if path == "" {
		return render(w, doc)
	}
	tmp := path + ".partial"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("--out %s: %w", path, unwrapPathError(err))
	}
	if err := render(f, doc); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("--out %s: %w", path, err)
	}
	return os.Rename(tmp, path)
}

// reportDoc is a report's every figure; the JSON names are its format.
type reportDoc struct {
	Kind        string          `json:"kind"`
	Store       string          `json:"store"`
	Snapshot    *reportSnapshot `json:"snapshot,omitempty"`
	At          time.Time       `json:"at"`
	WindowHours int             `json:"window_hours"`
	// TrendStepHours is the length of one point of each KPI's trend: a
	// day over the week, a week over four weeks.
	TrendStepHours int           `json:"trend_step_hours"`
	KPIs           []reportKPI   `json:"kpis"` // hot first
	Alerts         []alertLine   `json:"alerts"`
	SubTypes       []subtypeRow  `json:"subtypes"` // most grown first
	SLAByDept      []deptSLA     `json:"sla_by_department"`
	Waiting        []waitingLoop `json:"detractors_waiting"`
	WaitingTotal   int           `json:"detractors_waiting_total"`
	// The monthly review's own sections (absent from the weekly one).
	Segments    []breakdownJSON            `json:"csat_nps_by_segment,omitempty"`
	Touchpoints []breakdownJSON            `json:"csat_nps_by_touchpoint,omitempty"`
	NPSRevenue  []npsRevenueJSON           `json:"nps_revenue,omitempty"`
	AB          []variantJSON              `json:"ab,omitempty"`
	Tickets     map[string][]ticketRowJSON `json:"tickets_by,omitempty"`
	Improved    []string                   `json:"improved,omitempty"`
	Worsened    []string                   `json:"worsened,omitempty"`
	// GoLive is the [programme] go-live when one is configured: each KPI
	// then carries its value since go-live (SinceGoLive); GoLiveNote says
	// why it does not when the go-live is not before At.
	GoLive     *time.Time `json:"go_live,omitempty"`
	GoLiveNote string     `json:"go_live_note,omitempty"`
	// Currency is the ISO 4217 code amounts (NPS revenue) are in, as minor
	// units in JSON; cur writes them in the Markdown and HTML.
	Currency string         `json:"currency"`
	cur      model.Currency // the programme's currency
}

type reportSnapshot struct {
	TakenAt time.Time `json:"taken_at"`
	Masked  bool      `json:"masked"`
}

type reportKPI struct {
	ID       string     `json:"id"`
	Label    string     `json:"label"`
	Group    string     `json:"group"`
	Unit     string     `json:"unit"`
	Value    *float64   `json:"value"`
	N        int64      `json:"n"`
	Target   *float64   `json:"target"`
	Better   string     `json:"better"` // higher, lower, or "" (no target)
	Status   string     `json:"status"`
	Baseline *float64   `json:"baseline"`
	Delta    *float64   `json:"delta"`
	WrongWay bool       `json:"wrong_way"`
	Hot      bool       `json:"hot"`
	Trend    []*float64 `json:"trend"`
	// SinceGoLive is the KPI from the programme's go-live to At, against
	// its value before go-live (kpi.SinceGoLive); nil without a go-live.
	SinceGoLive *sinceGoLive `json:"since_go_live,omitempty"`
}

// sinceGoLive is one KPI over [go-live, At), as `cxtop kpi --since
// go-live` gives it.
type sinceGoLive struct {
	Value    *float64 `json:"value"`
	N        int64    `json:"n"`
	Baseline *float64 `json:"baseline"` // before go-live
	Delta    *float64 `json:"delta"`
	Status   string   `json:"status"`
}

type subtypeRow struct {
	SubType  string  `json:"subtype"` // type/subtype
	Created  int64   `json:"created"`
	Previous int64   `json:"previous"`
	Growth   int64   `json:"growth"`
	Volume   []int64 `json:"volume"` // per trend step, oldest first
}

type deptSLA struct {
	Department string   `json:"department"`
	Resolved   int64    `json:"resolved_with_sla"`
	Breaches   int64    `json:"breaches"`
	Compliance *float64 `json:"sla_compliance"`
}

// reportShape is what differs between the two reports.
type reportShape struct {
	window, step time.Duration
	points       int
}

var reportShapes = map[string]reportShape{
	reportWeekly:  {7 * 24 * time.Hour, 24 * time.Hour, 7},
	reportMonthly: {30 * 24 * time.Hour, 7 * 24 * time.Hour, 4},
}

// buildReport reads every figure of a report from one view of the rollups
// (and the few records it lists: alerts, follow-ups).
func buildReport(s *store.Store, kind string, at time.Time, settings kpi.Settings) (reportDoc, error) {
	defs, abControl := settings.Defs, settings.ABControl
	shape := reportShapes[kind]
	w, err := kpi.NewWindow(at, shape.window)
	if err != nil {
		return reportDoc{}, err
	}
	trendW, _ := kpi.NewWindow(at, shape.step*time.Duration(shape.points))
	cur := settings.Programme.Currency
	doc := reportDoc{Kind: kind, At: w.At, WindowHours: w.HoursLong(), TrendStepHours: int(shape.step / time.Hour),
		Currency: cur.Unit(), cur: cur}
	err = s.ViewRollups(func(r *store.Rollups) error {
		rep := kpi.Compute(r, w, defs, nil)
		trend := kpi.Series(r, trendW, shape.points, defs)
		since := sinceGoLiveOf(&doc, r, settings.Programme, defs)
		for _, v := range rep.KPIs {
			k := toReportKPI(v, trend[v.ID])
			k.SinceGoLive = since[v.ID]
			doc.KPIs = append(doc.KPIs, k)
		}
		slices.SortStableFunc(doc.KPIs, func(x, y reportKPI) int { return hotRank(x) - hotRank(y) })
		doc.SubTypes = subtypeGrowth(r, w, trendW, shape)
		doc.SLAByDept = slaByDepartment(r, w)
		if kind != reportMonthly {
			return nil
		}
		for _, by := range []string{"segment", "touchpoint"} {
			rows, err := kpi.Breakdown(r, w, by, kpi.BreakdownValues(r.Metrics("fb."), by))
			if err != nil {
				return err
			}
			doc2 := breakdownDoc(w, by, breakdowns{answers: rows})
			if by == "segment" {
				doc.Segments = doc2.Rows
			} else {
				doc.Touchpoints = doc2.Rows
			}
		}
		for _, row := range kpi.NPSRevenue(r, w) {
			doc.NPSRevenue = append(doc.NPSRevenue, npsRevenueJSON{row.Segment, row.Category, row.Customers, row.Revenue,
				perCustomer(row.Revenue, row.Customers), row.PrevCustomers, row.Churned, perCustomer(row.Churned, row.PrevCustomers),
				kpi.FewCustomers(row.Customers), kpi.FewCustomers(row.PrevCustomers)})
		}
		for _, v := range kpi.AB(r, w, abControl, kpi.ABVariants(r.Metrics("ev.form_started|variant="))) {
			doc.AB = append(doc.AB, variantJSON{v.Name, v.Control, v.Started, v.Completed, v.Rate, v.Lift, v.PValue, v.Wins})
		}
		doc.Tickets = map[string][]ticketRowJSON{}
		for _, by := range []string{"type", "subtype", "department"} {
			rows, err := kpi.TicketBreakdown(r, w, by, kpi.TicketValues(r.Metrics(model.MTicketCreated), by), ticketLookup(s))
			if err != nil {
				return err
			}
			doc.Tickets[by] = breakdownDoc(w, by, breakdowns{tickets: rows}).Tickets
		}
		for _, k := range doc.KPIs {
			switch {
			case k.Delta == nil || *k.Delta == 0 || k.Better == "":
			case k.WrongWay:
				doc.Worsened = append(doc.Worsened, k.ID)
			default:
				doc.Improved = append(doc.Improved, k.ID)
			}
		}
		return nil
	})
	if err != nil {
		return doc, err
	}
	if doc.Alerts, err = reportAlerts(s, w); err != nil {
		return doc, err
	}
	doc.Waiting, doc.WaitingTotal, err = waitingAt(s, w.At)
	return doc, err
}

// sinceGoLiveOf reads every KPI since the programme's go-live (nothing
// without one), the figures of `cxtop kpi --since go-live --at` the
// report's end, and notes the go-live in doc.
func sinceGoLiveOf(doc *reportDoc, r *store.Rollups, p kpi.Programme, defs []kpi.Def) map[string]*sinceGoLive {
	if p.GoLive.IsZero() {
		return nil
	}
	goLive := p.GoLive.UTC()
	doc.GoLive = &goLive
	rep, err := kpi.SinceGoLive(r, p, doc.At, defs)
	if err != nil {
		doc.GoLiveNote = err.Error()
		return nil
	}
	out := make(map[string]*sinceGoLive, len(rep.KPIs))
	for _, v := range rep.KPIs {
		out[v.ID] = &sinceGoLive{Value: v.Value, N: v.N, Baseline: v.Baseline, Delta: v.Delta, Status: v.Status}
	}
	return out
}

func toReportKPI(v kpi.Value, trend []*float64) reportKPI {
	k := reportKPI{ID: v.ID, Label: v.Label, Group: v.Group, Unit: v.Unit, Value: v.Value, N: v.N, Status: v.Status,
		Baseline: v.Baseline, Delta: v.Delta, Trend: trend}
	if k.Trend == nil {
		k.Trend = []*float64{}
	}
	if v.Dir != kpi.NoDirection {
		t := v.Target
		k.Target, k.Better = &t, "higher"
		if v.Dir == kpi.LowerIsBetter {
			k.Better = "lower"
		}
		if v.Delta != nil {
			k.WrongWay = (v.Dir == kpi.HigherIsBetter && *v.Delta < 0) || (v.Dir == kpi.LowerIsBetter && *v.Delta > 0)
		}
	}
	k.Hot = k.Status == kpi.StatusBreach || k.Status == kpi.StatusWarn || k.WrongWay
	return k
}

// hotRank orders the KPIs for the stand-up: in breach, then warn, then
// moving the wrong way, then the rest (each in the KPI order).
func hotRank(k reportKPI) int {
	switch {
	case k.Status == kpi.StatusBreach:
		return 0
	case k.Status == kpi.StatusWarn:
		return 1
	case k.WrongWay:
		return 2
	}
	return 3
}

// subtypeGrowth is every sub-type's tickets created in w against the window
// before, most grown first, with its volume per trend step.
func subtypeGrowth(r *store.Rollups, w, trendW kpi.Window, shape reportShape) []subtypeRow {
	from, to := w.Hours()
	pfrom, pto := w.Previous().Hours()
	tfrom, _ := trendW.Hours()
	step := uint32(shape.step / time.Hour)
	out := []subtypeRow{}
	for _, v := range kpi.TicketValues(r.Metrics(model.MTicketCreated), "subtype") {
		m := model.Dim(model.MTicketCreated, "subtype", v)
		row := subtypeRow{SubType: v, Created: r.Sum(m, from, to), Previous: r.Sum(m, pfrom, pto)}
		row.Growth = row.Created - row.Previous
		for h := tfrom; h+step <= to; h += step {
			row.Volume = append(row.Volume, r.Sum(m, h, h+step))
		}
		if row.Created+row.Previous > 0 {
			out = append(out, row)
		}
	}
	slices.SortStableFunc(out, func(x, y subtypeRow) int {
		if x.Growth != y.Growth {
			return int(y.Growth - x.Growth)
		}
		return strings.Compare(x.SubType, y.SubType)
	})
	return out
}

// slaByDepartment is each department's tickets done in w with an SLA and
// those done late, most breaches first.
func slaByDepartment(r *store.Rollups, w kpi.Window) []deptSLA {
	from, to := w.Hours()
	out := []deptSLA{}
	for _, d := range kpi.TicketValues(r.Metrics(model.MTicketCreated), "department") {
		with := r.Sum(model.Dim(model.MTicketResolvedSLA, "dept", d), from, to)
		if with == 0 {
			continue
		}
		in := r.Sum(model.Dim(model.MTicketResolvedInSLA, "dept", d), from, to)
		c := float64(in) / float64(with)
		out = append(out, deptSLA{d, with, with - in, &c})
	}
	slices.SortStableFunc(out, func(x, y deptSLA) int { return int(y.Breaches - x.Breaches) })
	return out
}

// reportAlerts are the alerts that fired in w or were still firing at its
// end, as stored.
func reportAlerts(s *store.Store, w kpi.Window) ([]alertLine, error) {
	all, err := s.Alerts(true)
	if err != nil {
		return nil, err
	}
	start := w.At.Add(-w.Length)
	out := []alertLine{}
	for _, a := range all {
		firing := !a.FiredAt.After(w.At) && (a.State != alert.Resolved || a.ResolvedAt.After(w.At))
		if firing || (!a.FiredAt.Before(start) && !a.FiredAt.After(w.At)) {
			out = append(out, alertLine{a.Key, a.Rule, a.Severity, a.FiredAt, a.Message})
		}
	}
	slices.SortStableFunc(out, func(x, y alertLine) int { return y.At.Compare(x.At) })
	return out, nil
}

// maxWaitingListed bounds the detractors a report lists (the total is
// given).
const maxWaitingListed = 50

// waitingAt lists the detractors' follow-ups not contacted as of at,
// oldest first.
func waitingAt(s *store.Store, at time.Time) ([]waitingLoop, int, error) {
	fus, err := s.TicketsWithPrefix(alert.FollowUpPrefix)
	if err != nil {
		return nil, 0, err
	}
	out := []waitingLoop{}
	for _, t := range fus {
		contact := t.FirstResponseAt
		if contact.IsZero() && !t.Open() {
			contact = t.ResolvedAt
		}
		if t.CreatedAt.After(at) || (!contact.IsZero() && !contact.After(at)) {
			continue
		}
		out = append(out, waitingLoop{t.ID, t.CustomerID, t.CreatedAt})
	}
	slices.SortStableFunc(out, func(x, y waitingLoop) int { return x.Since.Compare(y.Since) })
	total := len(out)
	return out[:min(total, maxWaitingListed)], total, nil
}
