package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/cxtop/cxtop/model/kpi"
)

// sparkPoints is how many slices of the window a gauge's trend line shows.
const sparkPoints = 24

// selectKPIMsg says which KPI the gauges' cursor is on: the trends pane
// charts it.
type selectKPIMsg struct {
	id    string
	focus bool // enter: show the trends pane too
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
	missing bool // the engine computes no report for this window
	list    list // the cursor over the KPIs
	lines   list // the scroll over the text (group headers take lines)
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
		rep, ok := msg.st.Reports[p.window]
		p.report, p.missing = rep, !ok
		p.series, _ = resample(msg.st.Trends[p.window].Series, sparkPoints)
		p.list.setLen(len(p.report.KPIs))
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

func (p *gaugesPane) selectCmd(focus bool) tea.Cmd {
	if p.list.cursor >= len(p.report.KPIs) {
		return nil
	}
	id := p.report.KPIs[p.list.cursor].ID
	return func() tea.Msg { return selectKPIMsg{id: id, focus: focus} }
}

func (p *gaugesPane) render() {
	if p.w <= 0 || p.h <= 0 {
		p.view = ""
		return
	}
	lines, cursorLine := p.text(p.w - 4)
	p.lines.setLen(len(lines))
	p.lines.setRows(p.h - 3)
	p.lines.show(cursorLine)
	from, _ := p.lines.visible()
	p.view = p.env.frame("2 KPIs, last "+ShortDuration(p.window), lines[from:], p.w, p.h, p.focused)
}

// text is the pane's text and the line the cursor is on.
func (p *gaugesPane) text(w int) ([]string, int) {
	th := p.env.th
	var lines []string
	group, cursorLine := "", 0
	for i, v := range p.report.KPIs {
		if v.Group != group {
			group = v.Group
			if len(lines) > 0 {
				lines = append(lines, "")
			}
			lines = append(lines, th.Header.Render(strings.ToUpper(group)))
		}
		// label, value, then the bar, delta and status as width allows;
		// the status symbol is kept longest: it is the point of the pane.
		mark := "  "
		if i == p.list.cursor && p.focused {
			mark, cursorLine = "▸ ", len(lines)
		}
		line := mark + fit(v.Label, 18) + " " + fmt.Sprintf("%8s", kpi.Format(v.Unit, v.Value, false))
		if w >= 60 {
			line += " " + bar(v, 10)
		}
		if w >= 48 {
			line += " " + fmt.Sprintf("%8s", kpi.Format(v.Unit, v.Delta, true))
		}
		line += "  " + fit(statusSymbol(p.env, v.Status), 8)
		if w >= 60+sparkPoints {
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

// statusSymbol pairs each status with a symbol and its style: colour never
// carries the meaning alone.
func statusSymbol(e *env, status string) string {
	switch status {
	case kpi.StatusOK:
		return e.th.OK.Render("✓ ok")
	case kpi.StatusWarn:
		return e.th.Warn.Render("▲ warn")
	case kpi.StatusBreach:
		return e.th.Breach.Render("✗ breach")
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
