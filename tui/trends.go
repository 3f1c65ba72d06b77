package tui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/guptarohit/asciigraph"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store"
)

// trendRanges are the spans the trends pane switches between with its
// range key.
var trendRanges = []time.Duration{24 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour, 90 * 24 * time.Hour}

// maxChartRows is the tallest the chart grows: taller adds axis labels,
// not information.
const maxChartRows = 12

// chartAxis is the room asciigraph's y-axis labels take left of the plot.
const chartAxis = 10

// trendsData is every KPI as a series over one range.
type trendsData struct {
	gen    int
	series map[string][]*float64
	step   time.Duration
	rows   []kpi.TicketRow // the breakdown, when one is shown
	err    error
}

// trendsPane draws the focused KPI as a line chart with its target over
// the chosen range, and a sparkline of every KPI below it when there is
// room.
type trendsPane struct {
	env     *env
	w, h    int
	focused bool
	defs    []kpi.Def // with the configured targets

	rangeIdx int
	// byIdx picks the breakdown shown instead of the chart (0: none).
	byIdx  int
	rows   []kpi.TicketRow
	kpiID  string
	series map[string][]*float64
	step   time.Duration
	gen    int
	loaded int // the gen of the series shown
	view   string
}

func newTrendsPane(e *env, defs []kpi.Def) *trendsPane {
	return &trendsPane{env: e, kpiID: defs[0].ID, defs: defs}
}

func (p *trendsPane) SetSize(w, h int) { p.w, p.h = w, h; p.render() }
func (p *trendsPane) SetFocus(f bool)  { p.focused = f; p.render() }

func (p *trendsPane) KeyMap() []key.Binding {
	k := p.env.keys
	return []key.Binding{k.Up, k.Down, k.Range, k.Breakdown}
}

// trendBreakdowns are what the breakdown key steps through: off, then the
// ticket KPIs by these dimensions.
var trendBreakdowns = []string{"", "type", "subtype", "department", "source", "segment"}

func (p *trendsPane) by() string { return trendBreakdowns[p.byIdx] }

func (p *trendsPane) span() time.Duration { return trendRanges[p.rangeIdx] }

// points is how many slices of the range the chart can show: one a
// column, at most one an hour.
func (p *trendsPane) points() int {
	hours := int(p.span() / time.Hour)
	return max(min(p.w-4-chartAxis, hours), 2)
}

// fetch returns the computation of the series as they stand, to run off
// the UI goroutine on a source the caller provides.
func (p *trendsPane) fetch() func(kpi.Source) trendsData {
	p.gen++
	gen, now, span, n, defs, by := p.gen, p.env.now(), p.span(), p.points(), p.defs, p.by()
	return func(src kpi.Source) trendsData {
		w, err := kpi.NewWindow(now, span)
		if err != nil {
			return trendsData{gen: gen, err: err}
		}
		d := trendsData{gen: gen, step: kpi.SeriesStep(w, n), series: kpi.Series(src, w, n, defs)}
		if lister, ok := src.(kpi.MetricLister); ok && by != "" {
			// Counts from the rollups only: the per-answer figures would
			// read records, which the console never does on a refresh.
			d.rows, d.err = kpi.TicketBreakdown(src, w, by, kpi.TicketValues(lister.Metrics(model.MTicketCreated), by), nil)
		}
		return d
	}
}

func (p *trendsPane) load() tea.Cmd {
	f, st := p.fetch(), p.env.st
	return func() tea.Msg {
		var d trendsData
		err := st.ViewRollups(func(r *store.Rollups) error {
			d = f(kpi.WithPrefixSums(r))
			return nil
		})
		if err != nil {
			d.err = err
		}
		return d
	}
}

func (p *trendsPane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case trendsData:
		if msg.gen != p.gen {
			return p, nil
		}
		if msg.err != nil {
			return p, reportErr("trends", msg.err)
		}
		p.series, p.step, p.rows, p.loaded = msg.series, msg.step, msg.rows, msg.gen
	case selectKPIMsg:
		p.kpiID = msg.id
	case tea.KeyMsg:
		k := p.env.keys
		switch {
		case key.Matches(msg, k.Down):
			p.kpiID = p.neighbour(1)
		case key.Matches(msg, k.Up):
			p.kpiID = p.neighbour(-1)
		case key.Matches(msg, k.Breakdown):
			return p, p.nextBreakdown()
		default:
			return p, nil
		}
	case themeMsg:
	default:
		return p, nil
	}
	p.render()
	return p, nil
}

// nextBreakdown switches to the next breakdown (or back to the chart) and
// loads it.
func (p *trendsPane) nextBreakdown() tea.Cmd {
	p.byIdx = (p.byIdx + 1) % len(trendBreakdowns)
	p.rows = nil
	p.render()
	return p.load()
}

// nextRange switches to the next range and loads it.
func (p *trendsPane) nextRange() tea.Cmd {
	p.rangeIdx = (p.rangeIdx + 1) % len(trendRanges)
	p.render()
	return p.load()
}

// neighbour is the KPI delta places from the charted one.
func (p *trendsPane) neighbour(delta int) string {
	defs := p.defs
	for i, d := range defs {
		if d.ID == p.kpiID {
			return defs[min(max(i+delta, 0), len(defs)-1)].ID
		}
	}
	return defs[0].ID
}

func (p *trendsPane) def() kpi.Def {
	for _, d := range p.defs {
		if d.ID == p.kpiID {
			return d
		}
	}
	return p.defs[0]
}

func (p *trendsPane) render() {
	if p.w <= 0 || p.h <= 0 {
		p.view = ""
		return
	}
	d := p.def()
	if by := p.by(); by != "" {
		title := fmt.Sprintf("3 Tickets by %s, last %s (b: next)", by, ShortDuration(p.span()))
		p.view = p.env.frame(title, breakdownLines(p.rows, by, p.loaded == p.gen, p.w-4), p.w, p.h, p.focused)
		return
	}
	title := fmt.Sprintf("3 Trend: %s, %s (r: range)", d.Label, ShortDuration(p.span()))
	if p.loaded != p.gen {
		title = fmt.Sprintf("3 Trend: %s, loading %s…", d.Label, ShortDuration(p.span()))
	}
	p.view = p.env.frame(title, p.lines(d, p.w-4, p.h-3), p.w, p.h, p.focused)
}

// lines is the chart, then sparklines while rows remain.
func (p *trendsPane) lines(d kpi.Def, w, rows int) []string {
	if p.series == nil {
		return []string{"computing…"}
	}
	// The chart takes up to maxChartRows; sparklines of the other KPIs
	// fill what is left when at least a few fit.
	defs := p.defs
	chartRows := min(rows-1, maxChartRows) // one row for the caption
	sparkRows := min(len(defs), rows-chartRows-2)
	if sparkRows < 3 {
		sparkRows, chartRows = 0, rows-1
	}
	lines := chart(d, p.series[d.ID], w, chartRows)
	lines = append(lines, p.env.th.Muted.Render(fit(caption(d, p.step), w)))
	if sparkRows > 0 {
		lines = append(lines, "")
	}
	for _, sd := range defs[:sparkRows] {
		mark := "  "
		if sd.ID == d.ID {
			mark = "▸ "
		}
		lines = append(lines, mark+fit(sd.Label, 18)+" "+sparkline(lastN(p.series[sd.ID], max(w-22, 1))))
	}
	return lines
}

// breakdownLines is the ticket KPIs per value as a table, w wide.
func breakdownLines(rows []kpi.TicketRow, by string, loaded bool, w int) []string {
	if !loaded {
		return []string{"loading…"}
	}
	if len(rows) == 0 {
		return []string{"no tickets in this range"}
	}
	label := max(min(w-38, 30), 8)
	lines := []string{fit(fmt.Sprintf("%-*s %6s %7s %8s %6s", label, strings.ToUpper(by), "NEW", "BACKLOG", "HANDLING", "SLA"), w)}
	for _, r := range rows {
		v := r.Value
		if by == "subtype" {
			_, v, _ = strings.Cut(v, "/")
		}
		lines = append(lines, fit(fmt.Sprintf("%-*s %6d %7d %8s %6s", label, fit(model.Sanitize(v), label), r.Created, r.Backlog,
			kpi.Format("h", r.HandlingH, false), kpi.Format("%", r.SLA, false)), w))
	}
	return lines
}

func caption(d kpi.Def, step time.Duration) string {
	s := "one point per " + ShortDuration(step)
	if d.Dir != kpi.NoDirection {
		s += fmt.Sprintf(" · target %s (┈)", kpi.Format(d.Unit, &d.Target, false))
	}
	return s
}

func lastN(points []*float64, n int) []*float64 {
	if len(points) > n {
		return points[len(points)-n:]
	}
	return points
}

// chart plots a series (nil points are gaps) with the target as a dotted
// line, in the KPI's display unit, rows high.
func chart(d kpi.Def, points []*float64, w, rows int) []string {
	scale := 1.0
	if d.Unit == "%" {
		scale = 100
	}
	data := make([]float64, 0, len(points))
	have := false
	for _, p := range points {
		if p == nil {
			data = append(data, math.NaN())
			continue
		}
		data = append(data, *p*scale)
		have = true
	}
	if !have || rows < 3 || w < chartAxis+2 {
		return []string{"no data in this range"}
	}
	series := [][]float64{data}
	if d.Dir != kpi.NoDirection {
		target := make([]float64, len(data))
		for i := range target {
			target[i] = d.Target * scale
		}
		series = append(series, target)
	}
	out := asciigraph.PlotMany(series, asciigraph.Height(rows-1), asciigraph.Precision(1),
		asciigraph.SeriesChars(asciigraph.DefaultCharSet, asciigraph.CreateCharSet("┈")))
	return strings.Split(out, "\n")
}

func (p *trendsPane) View() string { return p.view }
