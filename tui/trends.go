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
	"github.com/cxtop/cxtop/store/engine"
)

// trendRanges are the spans the trends pane switches between with its
// range key.
var trendRanges = []time.Duration{24 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour, 90 * 24 * time.Hour}

// maxChartRows is the tallest the chart grows: taller adds axis labels,
// not information.
const maxChartRows = 12

// chartAxis is the room asciigraph's y-axis labels take left of the plot.
const chartAxis = 10

// trendsPane draws the focused KPI as a line chart with its target over
// the chosen range, and a sparkline of every KPI below it when there is
// room. The series come from the engine's state, computed once for every
// session; a pane narrower than a series merges neighbouring points.
type trendsPane struct {
	env     *env
	w, h    int
	focused bool
	list    list   // the cursor over the KPIs: the charted one
	picked  uint64 // the newest gauges' selection taken (selectKPIMsg.seq)

	defs     []kpi.Def // with the configured targets, from the state
	state    *engine.State
	rangeIdx int
	// byIdx picks the breakdown shown instead of the chart (0: none): the
	// session reads it itself, from the rollups, in a command.
	byIdx  int
	rows   []kpi.TicketRow
	gen    int // the breakdown read last asked for
	loaded int // the gen of the rows shown
	view   string
}

// breakdownData is one read of a breakdown.
type breakdownData struct {
	gen  int
	rows []kpi.TicketRow
	err  error
}

// trendBreakdowns are what the breakdown key steps through: off, then the
// ticket KPIs by these dimensions.
var trendBreakdowns = []string{"", "type", "subtype", "department", "source", "segment"}

func (p *trendsPane) by() string { return trendBreakdowns[p.byIdx] }

// loadBreakdown reads the breakdown shown, over the range shown, through
// the read-only view (counts from the rollups only: the per-answer
// figures would read records).
func (p *trendsPane) loadBreakdown() tea.Cmd {
	by := p.by()
	if by == "" {
		return nil
	}
	p.gen++
	gen, rd, now, span := p.gen, p.env.rd, p.env.now(), p.span()
	return func() tea.Msg {
		d := breakdownData{gen: gen}
		w, err := kpi.NewWindow(now, span)
		if err != nil {
			d.err = err
			return d
		}
		d.err = rd.ViewRollups(func(ro *store.Rollups) (err error) {
			d.rows, err = kpi.TicketBreakdown(kpi.WithPrefixSums(ro), w, by, kpi.TicketValues(ro.Metrics(model.MTicketCreated), by), nil)
			return err
		})
		return d
	}
}

// nextBreakdown switches to the next breakdown (or back to the chart) and
// loads it.
func (p *trendsPane) nextBreakdown() tea.Cmd {
	p.byIdx = (p.byIdx + 1) % len(trendBreakdowns)
	p.rows = nil
	cmd := p.loadBreakdown() // first: the title says it is loading
	p.render()
	return cmd
}

func newTrendsPane(e *env) *trendsPane { return &trendsPane{env: e} }

func (p *trendsPane) SetSize(w, h int) { p.w, p.h = w, h; p.render() }
func (p *trendsPane) SetFocus(f bool)  { p.focused = f; p.render() }

func (p *trendsPane) KeyMap() []key.Binding {
	k := p.env.keys
	return []key.Binding{k.Up, k.Down, k.Range, k.Breakdown}
}

func (p *trendsPane) span() time.Duration { return trendRanges[p.rangeIdx] }

// points is how many slices of the range the chart can show: one a
// column, at most one an hour.
func (p *trendsPane) points() int {
	hours := int(p.span() / time.Hour)
	return max(min(p.w-4-chartAxis, hours), 2)
}

// trend is the series of the range shown, merged to the points that fit.
func (p *trendsPane) trend() (map[string][]*float64, time.Duration, bool) {
	if p.state == nil {
		return nil, 0, false
	}
	t, ok := p.state.Trends[p.span()]
	if !ok {
		return nil, 0, false
	}
	series, k := resample(t.Series, p.points())
	return series, t.Step * time.Duration(k), true
}

func (p *trendsPane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case stateMsg:
		moved := p.state == nil || p.state.DataGen != msg.st.DataGen
		p.state = msg.st
		if len(p.defs) == 0 {
			p.defs = msg.st.KPIs
			p.list.setLen(len(p.defs))
		}
		if moved && p.by() != "" {
			cmd := p.loadBreakdown()
			p.render()
			return p, cmd
		}
	case breakdownData:
		if msg.gen != p.gen {
			return p, nil
		}
		p.loaded = msg.gen
		if msg.err != nil {
			return p, reportErr("breakdown", msg.err)
		}
		p.rows = msg.rows
	case selectKPIMsg:
		if msg.seq < p.picked {
			return p, nil // an older move that arrived late
		}
		p.picked = msg.seq
		for i, d := range p.defs {
			if d.ID == msg.id {
				p.list.setCursor(i)
			}
		}
	case tea.KeyMsg:
		if key.Matches(msg, p.env.keys.Breakdown) {
			return p, p.nextBreakdown()
		}
		if !p.list.key(msg, p.env.keys, false) {
			return p, nil
		}
	case themeMsg:
	default:
		return p, nil
	}
	p.render()
	return p, nil
}

// nextRange switches to the next range: its series are in the state (a
// breakdown shown is read again over it).
func (p *trendsPane) nextRange() tea.Cmd {
	p.rangeIdx = (p.rangeIdx + 1) % len(trendRanges)
	cmd := p.loadBreakdown()
	p.render()
	return cmd
}

func (p *trendsPane) render() {
	if p.w <= 0 || p.h <= 0 {
		p.view = ""
		return
	}
	if len(p.defs) == 0 {
		p.view = p.env.frame("3 Trend", []string{"computing…"}, p.w, p.h, p.focused)
		return
	}
	if by := p.by(); by != "" {
		title := fmt.Sprintf("3 Tickets by %s, last %s (b: next)", by, ShortDuration(p.span()))
		p.view = p.env.frame(title, breakdownLines(p.rows, by, p.loaded == p.gen, p.w-4), p.w, p.h, p.focused)
		return
	}
	d := p.defs[p.list.cursor]
	draw := func() string {
		title := fmt.Sprintf("3 Trend: %s, %s (r: range)", d.Label, ShortDuration(p.span()))
		return p.env.frame(title, p.lines(d, p.w-4, p.h-3), p.w, p.h, p.focused)
	}
	if p.state == nil {
		p.view = draw()
		return
	}
	p.view = shared(p.env, p.state.Gen, trendsKey{look: p.env.look(), w: p.w, h: p.h, cursor: p.list.cursor,
		ranges: p.rangeIdx, kpis: len(p.defs), focused: p.focused}, draw)
}

// trendsKey is what a drawing of the chart depends on besides the state
// (the KPIs charted are the state's, the same for every session).
type trendsKey struct {
	look
	w, h, cursor, ranges, kpis int
	focused                    bool
}

// lines is the chart, then sparklines while rows remain.
func (p *trendsPane) lines(d kpi.Def, w, rows int) []string {
	series, step, ok := p.trend()
	if !ok && p.state != nil && p.state.IsComputing(p.span()) {
		return []string{"computing…"} // the engine's next state holds it
	}
	if !ok {
		return []string{"no trend over " + ShortDuration(p.span()) + " in the engine's state"}
	}
	// The chart takes up to maxChartRows; sparklines of the other KPIs
	// fill what is left when at least a few fit.
	defs := p.defs
	chartRows := min(rows-1, maxChartRows) // one row for the caption
	sparkRows := min(len(defs), rows-chartRows-2)
	if sparkRows < 3 {
		sparkRows, chartRows = 0, rows-1
	}
	lines := chart(d, series[d.ID], w, chartRows)
	lines = append(lines, p.env.th.Muted.Render(fit(caption(d, step), w)))
	if sparkRows > 0 {
		lines = append(lines, "")
	}
	for _, sd := range defs[:sparkRows] {
		mark := "  "
		if sd.ID == d.ID {
			mark = "▸ "
		}
		lines = append(lines, mark+fit(sd.Label, 18)+" "+sparkline(lastN(series[sd.ID], max(w-22, 1))))
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

// resample merges neighbouring points so that no series is longer than n:
// k points become their mean (a slice without data stays nil), newest
// aligned, so what is left out is the oldest. The series are returned
// as they are, and k is 1, when they fit. For drawing only: the mean of
// ratios is not the ratio over the merged slices.
func resample(series map[string][]*float64, n int) (map[string][]*float64, int) {
	longest := 0
	for _, s := range series {
		longest = max(longest, len(s))
	}
	if n <= 0 || longest <= n {
		return series, 1
	}
	k := (longest + n - 1) / n
	out := make(map[string][]*float64, len(series))
	for id, s := range series {
		merged := make([]*float64, 0, len(s)/k)
		for end := len(s) % k; end+k <= len(s); end += k {
			sum, have := 0.0, 0
			for _, v := range s[end : end+k] {
				if v != nil {
					sum += *v
					have++
				}
			}
			if have == 0 {
				merged = append(merged, nil)
				continue
			}
			mean := sum / float64(have)
			merged = append(merged, &mean)
		}
		out[id] = merged
	}
	return out, k
}
