package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store/engine"
)

// sparkPoints is how many slices of the window a gauge's trend line shows.
const sparkPoints = 24

// selectKPIMsg says which KPI the gauges' cursor is on: the trends pane
// charts it.
// Each carries a number that grows with every move: commands run in
// goroutines of their own, so two quick moves can arrive out of order,
// and the trends pane keeps only the newest.
type selectKPIMsg struct {
	id    string
	focus bool   // enter: show the trends pane too
	seq   uint64 // the gauges' move count when it was sent
}

// gaugesPane shows every KPI against its target, grouped, with a bar, the
// delta from the previous window, the status as a symbol and, when wide
// enough, a trend line.
type gaugesPane struct {
	env     *env
	w, h    int
	focused bool
	window  time.Duration

	report  kpi.Report
	series  map[string][]*float64
	since   map[string]kpi.Value // each KPI since the programme's go-live (nil: none configured)
	goLive  time.Time
	missing bool   // the engine computes no report for this window
	gen     uint64 // the Gen of the state taken
	list    list   // the cursor over the KPIs
	moves   uint64 // selections sent (selectKPIMsg.seq)
	lines   list   // the scroll over the text (group headers take lines)
	view    string
}

func newGaugesPane(e *env, window time.Duration) *gaugesPane {
	return &gaugesPane{env: e, window: window, lines: list{reading: true}}
}

func (p *gaugesPane) SetSize(w, h int) { p.w, p.h = w, h; p.render() }
func (p *gaugesPane) SetFocus(f bool)  { p.focused = f; p.render() }

func (p *gaugesPane) KeyMap() []key.Binding {
	k := p.env.keys
	return []key.Binding{k.Up, k.Down, k.Open}
}

func (p *gaugesPane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case stateMsg:
		p.take(msg.st)
	case tea.KeyMsg:
		k := p.env.keys
		switch {
		case p.list.key(msg, k, false):
		case key.Matches(msg, k.Open):
			p.render()
			return p, p.selectCmd(true)
		default:
			return p, nil
		}
		p.render()
		return p, p.selectCmd(false)
	case themeMsg:
	default:
		return p, nil
	}
	p.render()
	return p, nil
}

// take shows a state's KPIs over the pane's window, or each over its own
// (window 0), with their trend lines.
func (p *gaugesPane) take(st *engine.State) {
	p.gen = st.Gen
	g := shared(p.env, st.Gen, gaugesTakeKey{p.window}, func() gaugeData { return gaugesOf(st, p.window) })
	p.report, p.series, p.since, p.goLive, p.missing = g.report, g.series, g.since, g.goLive, g.missing
	p.list.setLen(len(p.report.KPIs))
}

// gaugeData is what the gauges show of a state over one window (0: each
// KPI over its own); the same for every session of a group.
type gaugeData struct {
	report  kpi.Report
	series  map[string][]*float64
	since   map[string]kpi.Value
	goLive  time.Time
	missing bool
}

type gaugesTakeKey struct{ window time.Duration }

// gaugesOf reads a state's KPIs over the window, with their trend lines.
func gaugesOf(st *engine.State, window time.Duration) gaugeData {
	var p gaugeData
	if window > 0 {
		// A window the engine is still computing shows "computing…" (no
		// KPIs, not missing) until the next state brings it.
		rep, ok := st.Reports[window]
		p.report, p.missing = rep, !ok && !st.IsComputing(window)
		p.series, _ = resample(st.Trends[window].Series, sparkPoints)
		return p
	}
	if len(st.SinceGoLive.KPIs) > 0 {
		p.since = make(map[string]kpi.Value, len(st.SinceGoLive.KPIs))
		for _, v := range st.SinceGoLive.KPIs {
			p.since[v.ID] = v
		}
		p.goLive = st.SinceGoLive.Window.At.Add(-st.SinceGoLive.Window.Length)
	}
	p.report, p.missing = st.Own, false
	p.series = make(map[string][]*float64, len(st.Own.KPIs))
	for _, v := range st.Own.KPIs {
		series, ok := st.Trends[v.Window.Length].Series[v.ID]
		if !ok {
			series = st.OwnSeries[v.ID]
		}
		one, _ := resample(map[string][]*float64{v.ID: series}, sparkPoints)
		p.series[v.ID] = one[v.ID]
	}
	return p
}

func (p *gaugesPane) selectCmd(focus bool) tea.Cmd {
	if p.list.cursor >= len(p.report.KPIs) {
		return nil
	}
	p.moves++
	msg := selectKPIMsg{id: p.report.KPIs[p.list.cursor].ID, focus: focus, seq: p.moves}
	return func() tea.Msg { return msg }
}

func (p *gaugesPane) render() {
	if p.w <= 0 || p.h <= 0 {
		p.view = ""
		return
	}
	k := gaugesKey{look: p.env.look(), window: p.window, w: p.w, cursor: p.list.cursor, focused: p.focused}
	t := shared(p.env, p.gen, k, func() gaugeText {
		lines, cursorLine := p.text(p.w - 4)
		return gaugeText{lines, cursorLine}
	})
	p.lines.setLen(len(t.lines))
	p.lines.setRows(p.h - 3)
	p.lines.show(t.cursorLine)
	from, _ := p.lines.visible()
	p.view = shared(p.env, p.gen, gaugesFrameKey{k, p.h, from}, func() string {
		title := "2 KPIs, each over its window"
		if p.window > 0 {
			title = "2 KPIs, last " + ShortDuration(p.window)
		}
		return p.env.frame(title, t.lines[from:], p.w, p.h, p.focused)
	})
}

// gaugesKey is what the gauges' text depends on besides the state;
// gaugesFrameKey what their drawing does besides the text.
type (
	gaugesKey struct {
		look
		window    time.Duration
		w, cursor int
		focused   bool
	}
	gaugesFrameKey struct {
		gaugesKey
		h, from int
	}
	gaugeText struct {
		lines      []string
		cursorLine int
	}
)

// text is the pane's text and the line the cursor is on.
func (p *gaugesPane) text(w int) ([]string, int) {
	th := p.env.th
	var lines []string
	group, cursorLine := "", 0
	cols := gaugeColumnsFor(w-2, p.report.KPIs, p.since != nil)
	if cols.since {
		lines = append(lines, p.env.paint("Header", th.Header, "  "+gaugeHeader(cols, p.goLive)))
	}
	for i, v := range p.report.KPIs {
		if v.Group != group {
			group = v.Group
			if len(lines) > 0 {
				lines = append(lines, "")
			}
			lines = append(lines, p.env.paint("Header", th.Header, strings.ToUpper(group)))
		}
		mark := "  "
		if i == p.list.cursor && p.focused {
			mark, cursorLine = "▸ ", len(lines)
		}
		line := mark + gaugeLine(v, cols, statusSymbol(p.env, v.Status), p.sinceOf(v.ID))
		if cols.spark {
			line += " " + sparkline(p.series[v.ID])
		}
		lines = append(lines, line)
	}
	switch {
	case len(lines) > 0:
	case p.missing:
		lines = append(lines, "the engine computes no KPIs over "+ShortDuration(p.window))
	default:
		lines = append(lines, "computing…")
	}
	return lines, cursorLine
}

// gaugeColumns is which columns a gauge line has room for, and how wide
// its label is.
type gaugeColumns struct {
	label                            int
	bar, delta, window, since, spark bool
}

// Widths of a gauge line's columns, with the space before each.
const (
	gaugeValueW  = 9  // " 85.2%"
	gaugeStatusW = 10 // "  ✗ breach"
	gaugeBarW    = 11
	gaugeDeltaW  = 11 // " -12.5 pts"
	gaugeWindowW = 7  // " @14:00", " 30d"
	gaugeSinceW  = 12 // "       87.2%": the KPI since the programme's go-live
	gaugeMinLbl  = 10
)

// gaugeColumnsFor fits a gauge line into w cells: the full label first
// (no "Digital revenue g…" on a wide terminal), then value and status, then
// the delta, the window, the bar and the trend line as room allows.
func gaugeColumnsFor(w int, kpis []kpi.Value, since bool) gaugeColumns {
	longest := gaugeMinLbl
	for _, v := range kpis {
		longest = max(longest, ansi.StringWidth(v.Label))
	}
	c := gaugeColumns{label: max(min(longest, w-gaugeValueW-gaugeStatusW), gaugeMinLbl)}
	left := w - c.label - gaugeValueW - gaugeStatusW
	take := func(n int) bool {
		if left >= n {
			left -= n
			return true
		}
		return false
	}
	c.delta = take(gaugeDeltaW)
	c.window = take(gaugeWindowW)
	c.since = since && take(gaugeSinceW)
	c.bar = take(gaugeBarW)
	c.spark = take(sparkPoints + 1)
	return c
}

// gaugeLine is one KPI's line without the cursor mark and the trend line:
// label, value, bar, delta with its unit (pp, pts, h, ★), the window it
// was read over (the time of day for a state like the backlog) and status.
func gaugeLine(v kpi.Value, c gaugeColumns, status string, since *kpi.Value) string {
	line := fit(v.Label, c.label) + fmt.Sprintf(" %8s", v.Text())
	if c.bar {
		line += " " + bar(v, 10)
	}
	if c.delta {
		line += fmt.Sprintf(" %10s", kpi.FormatDelta(v.DeltaUnit(), v.Delta))
	}
	if c.window {
		line += fmt.Sprintf(" %6s", gaugeWindow(v))
	}
	if c.since {
		text := "-"
		if since != nil {
			text = since.Text()
		}
		line += fmt.Sprintf(" %11s", text)
	}
	return line + "  " + fit(status, 8)
}

// gaugeHeader names the columns of gaugeLine, shown when the since
// go-live column is: a bare number beside the value would be a puzzle.
func gaugeHeader(c gaugeColumns, goLive time.Time) string {
	h := fit("KPI", c.label) + fmt.Sprintf(" %8s", "VALUE")
	if c.bar {
		h += " " + fit("", 10)
	}
	if c.delta {
		h += fmt.Sprintf(" %10s", "Δ")
	}
	if c.window {
		h += fmt.Sprintf(" %6s", "OVER")
	}
	if c.since {
		h += fmt.Sprintf(" %11s", "SINCE "+goLive.Format("01-02"))
	}
	return h
}

// sinceOf is the KPI since the programme's go-live, nil without one.
func (p *gaugesPane) sinceOf(id string) *kpi.Value {
	if v, ok := p.since[id]; ok {
		return &v
	}
	return nil
}

// gaugeWindow is what a gauge was read over: "30d", or for a state (the
// backlog) the hour it was counted at, so it is not taken for the queue's
// count of this minute.
func gaugeWindow(v kpi.Value) string {
	if v.Window.Length == 0 {
		return ""
	}
	if v.Cumulative {
		return "@" + v.Window.At.Format("15:04")
	}
	return ShortDuration(v.Window.Length)
}

// statusSymbol pairs each status with a symbol and its style: colour never
// carries the meaning alone.
func statusSymbol(e *env, status string) string {
	switch status {
	case kpi.StatusOK:
		return e.paint("OK", e.th.OK, "✓ ok")
	case kpi.StatusWarn:
		return e.paint("Warn", e.th.Warn, "▲ warn")
	case kpi.StatusBreach:
		return e.paint("Breach", e.th.Breach, "✗ breach")
	}
	return ""
}

var sparkRunes = []rune("▁▂▃▄▅▆▇█")

// sparkline draws a series scaled between its own minimum and maximum; a
// slice without data is a space.
func sparkline(points []*float64) string {
	lo, hi := 0.0, 0.0
	first := true
	for _, p := range points {
		if p == nil {
			continue
		}
		if first || *p < lo {
			lo = *p
		}
		if first || *p > hi {
			hi = *p
		}
		first = false
	}
	out := make([]rune, len(points))
	for i, p := range points {
		switch {
		case p == nil:
			out[i] = ' '
		case hi == lo:
			out[i] = sparkRunes[len(sparkRunes)/2]
		default:
			out[i] = sparkRunes[int((*p-lo)/(hi-lo)*float64(len(sparkRunes)-1)+0.5)]
		}
	}
	return string(out)
}

// bar draws value against target for shares: filled to the value, with
// the target marked "|".
func bar(v kpi.Value, n int) string {
	if v.Unit != "%" || v.Value == nil {
		return strings.Repeat(" ", n)
	}
	filled := int(*v.Value*float64(n) + 0.5)
	mark := -1
	if v.Dir != kpi.NoDirection {
		mark = min(int(v.Target*float64(n)), n-1)
	}
	var b strings.Builder
	for i := 0; i < n; i++ {
		switch {
		case i == mark:
			b.WriteString("|")
		case i < filled:
			b.WriteString("█")
		default:
			b.WriteString("░")
		}
	}
	return b.String()
}

func (p *gaugesPane) View() string { return p.view }
