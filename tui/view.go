package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/kpi"
)

// View joins the panes. Each pane renders only its visible rows, styling
// whole lines; no store reads happen here.
func (m *Model) View() string {
	mode, q, g := Layout(m.width, m.hgt)
	if mode == ModeTooSmall {
		if m.width == 0 {
			return ""
		}
		return fmt.Sprintf("terminal too small: %d×%d\ncxtop needs at least %d×%d", m.width, m.hgt, MinWidth, MinHeight)
	}
	var body string
	switch {
	case m.help:
		body = m.box("Help", m.helpLines(), m.width, q.H)
	case m.detail != nil:
		body = m.box("Ticket "+m.detail.ID, m.detailLines(m.width-4), m.width, q.H)
	case mode == ModeSplit:
		body = lipgloss.JoinHorizontal(lipgloss.Top,
			m.box(m.queueTitle(), m.queueLines(q.W-4), q.W, q.H),
			m.box("KPIs, last "+ShortDuration(m.opt.Window), m.gaugeLines(g.W-4), g.W, g.H))
	case m.tab == 1:
		body = m.box("1 queue · [2 KPIs, last "+ShortDuration(m.opt.Window)+"]   (tab switches)", m.gaugeLines(q.W-4), q.W, q.H)
	default:
		body = m.box("[1 "+m.queueTitle()+"] · 2 KPIs   (tab switches)", m.queueLines(q.W-4), q.W, q.H)
	}
	return body + "\n" + m.statusBar()
}

// box frames lines in a w×h pane with a title.
func (m *Model) box(title string, lines []string, w, h int) string {
	inner := h - 3
	if len(lines) > inner {
		lines = lines[:max(inner, 0)]
	}
	for len(lines) < inner {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = fit(l, w-4)
	}
	content := m.th.Title.Render(fit(title, w-4)) + "\n" + strings.Join(lines, "\n")
	return m.th.Border.Width(w-2).Padding(0, 1).Render(content)
}

func (m *Model) queueTitle() string {
	if m.query != "" {
		return fmt.Sprintf("Search %q: %d tickets (esc clears)", m.query, m.total)
	}
	return fmt.Sprintf("Queue: %d open", m.total)
}

// queueColumn is one column of the queue and the width below which it is
// dropped.
type queueColumn struct {
	title string
	width int
	minW  int
	cell  func(t *model.Ticket, now time.Time) string
}

var queueColumns = []queueColumn{
	{"ID", 11, 0, func(t *model.Ticket, _ time.Time) string {
		if t.Escalated {
			return t.ID + "!"
		}
		return t.ID
	}},
	{"AGE", 4, 0, func(t *model.Ticket, now time.Time) string { return ShortDuration(now.Sub(t.CreatedAt)) }},
	{"SLA", 9, 0, slaCell},
	{"PRI", 6, 0, func(t *model.Ticket, _ time.Time) string { return t.Priority }},
	{"TYPE/SUBTYPE", 30, 110, func(t *model.Ticket, _ time.Time) string { return Sanitize(t.Type + "/" + t.SubType) }},
	{"SOURCE", 12, 90, func(t *model.Ticket, _ time.Time) string { return Sanitize(t.Source) }},
	{"DEPT", 13, 130, func(t *model.Ticket, _ time.Time) string { return Sanitize(t.Department) }},
	{"SEGMENT", 8, 150, func(t *model.Ticket, _ time.Time) string { return Sanitize(t.Segment) }},
}

// slaCell shows the SLA countdown with a symbol for risk, so it reads
// without colour: ✗ breached, ▲ due within 4 hours.
func slaCell(t *model.Ticket, now time.Time) string {
	switch {
	case t.SLADueAt.IsZero():
		return "-"
	case now.After(t.SLADueAt):
		return "✗ " + ShortDuration(now.Sub(t.SLADueAt))
	case t.SLADueAt.Sub(now) < 4*time.Hour:
		return "▲ " + ShortDuration(t.SLADueAt.Sub(now))
	}
	return "  " + ShortDuration(t.SLADueAt.Sub(now))
}

func (m *Model) queueLines(w int) []string {
	now := m.opt.Now()
	var cols []queueColumn
	for _, c := range queueColumns {
		if w >= c.minW {
			cols = append(cols, c)
		}
	}
	row := func(cells []string) string {
		var b strings.Builder
		b.WriteString(cells[0])
		cells = cells[1:]
		for i, c := range cols {
			b.WriteString(fit(cells[i], c.width) + " ")
		}
		b.WriteString(cells[len(cells)-1])
		return fit(b.String(), w)
	}
	var lines []string
	if m.searching {
		lines = append(lines, m.search.View())
	}
	titles := []string{"  "}
	for _, c := range cols {
		titles = append(titles, c.title)
	}
	lines = append(lines, m.th.Header.Render(row(append(titles, "SUBJECT"))))
	if m.loaded && m.total == 0 {
		if m.query != "" {
			return append(lines, "", "  no open ticket matches "+fmt.Sprintf("%q", m.query))
		}
		return append(lines, "", "  No open tickets here yet.", "",
			"  Fill this store with 'cxtop sync --remote URL' (a cxtop hub or Zendesk),",
			"  or try everything at once with 'cxtop demo'.")
	}
	start := m.offset
	visible := m.tickets
	if m.query != "" { // search results are all loaded: window them here
		start = max(0, m.cursor-m.rows+1)
		visible = m.tickets[min(start, len(m.tickets)):]
	}
	for i, t := range visible {
		if i >= m.rows {
			break
		}
		cells := []string{"  "}
		if start+i == m.cursor {
			cells[0] = "▸ " // the selection shows without colour too
		}
		for _, c := range cols {
			cells = append(cells, c.cell(t, now))
		}
		cells = append(cells, Sanitize(t.Subject))
		line := row(cells)
		if start+i == m.cursor {
			line = m.th.Selected.Render(line)
		} else if now.After(t.SLADueAt) && !t.SLADueAt.IsZero() {
			line = m.th.Breach.Render(line)
		}
		lines = append(lines, line)
	}
	return lines
}

// statusSymbol pairs each status with a symbol and its style.
func (m *Model) statusSymbol(status string) string {
	switch status {
	case kpi.StatusOK:
		return m.th.OK.Render("✓ ok")
	case kpi.StatusWarn:
		return m.th.Warn.Render("▲ warn")
	case kpi.StatusBreach:
		return m.th.Breach.Render("✗ breach")
	}
	return ""
}

func (m *Model) gaugeLines(w int) []string {
	var lines []string
	group := ""
	for _, v := range m.report.KPIs {
		if v.Group != group {
			group = v.Group
			if len(lines) > 0 {
				lines = append(lines, "")
			}
			lines = append(lines, m.th.Header.Render(strings.ToUpper(group)))
		}
		// label, value, then the bar, delta and status as width allows;
		// the status symbol is kept longest: it is the point of the pane.
		line := fit(v.Label, 18) + " " + fmt.Sprintf("%8s", kpi.Format(v.Unit, v.Value, false))
		if w >= 58 {
			line += " " + bar(v, 10)
		}
		if w >= 46 {
			line += " " + fmt.Sprintf("%8s", kpi.Format(v.Unit, v.Delta, true))
		}
		line += "  " + fit(m.statusSymbol(v.Status), 8)
		if w >= 58+sparkPoints {
			line += " " + sparkline(m.series[v.ID])
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		lines = append(lines, "computing…")
	}
	return lines
}

// sparkPoints is how many slices of the window a trend line shows.
const sparkPoints = 24

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

func (m *Model) detailLines(w int) []string {
	t := m.detail
	now := m.opt.Now()
	field := func(k, v string) string { return fit(m.th.Header.Render(fit(k, 12))+" "+Sanitize(v), w) }
	lines := []string{
		Sanitize(t.Subject), "",
		field("status", t.Status+map[bool]string{true: "  (escalated)", false: ""}[t.Escalated]),
		field("type", t.Type+" / "+t.SubType),
		field("priority", t.Priority+"   SLA "+slaCell(t, now)),
		field("source", t.Source+"   touchpoint "+t.Touchpoint),
		field("owner", t.Department+" / "+t.Assignee),
		field("customer", t.CustomerID+" ("+t.Segment+")"),
		field("created", model.FormatTime(t.CreatedAt)),
		field("version", fmt.Sprint(t.Version)),
		"", m.th.Header.Render("history"),
	}
	for _, c := range t.History {
		lines = append(lines, fit(fmt.Sprintf("  %s  %-8s %-10s %s → %s", c.At.UTC().Format("Jan 02 15:04"),
			Sanitize(c.By), Sanitize(c.Field), Sanitize(c.Old), Sanitize(c.New)), w))
	}
	lines = append(lines, "", m.th.Header.Render("feedback"))
	if len(m.feedback) == 0 {
		lines = append(lines, "  none")
	}
	for _, f := range m.feedback {
		lines = append(lines, fit(fmt.Sprintf("  %s %s %d  %s", f.At.UTC().Format("Jan 02 15:04"), f.Survey, f.Score, Sanitize(f.Comment)), w))
	}
	return lines
}

func (m *Model) helpLines() []string {
	var lines []string
	for _, b := range m.keys.all() {
		lines = append(lines, fmt.Sprintf("  %-8s %s", b.Help().Key, b.Help().Desc))
	}
	return append(lines, "", "  esc or ? closes this help")
}

// statusBar puts what just happened first, so it survives a narrow
// terminal; the rest is cut from the right.
func (m *Model) statusBar() string {
	parts := []string{"cxtop"}
	if m.message != "" {
		parts = append(parts, m.message)
	}
	if m.alerts > 0 {
		parts = append(parts, fmt.Sprintf("✗ %d alerts", m.alerts))
	}
	parts = append(parts, m.storeName(), string(m.opt.Role))
	if m.opt.Sync != nil {
		parts = append(parts, m.opt.Sync())
	}
	if !m.updated.IsZero() {
		parts = append(parts, "updated "+m.updated.UTC().Format("15:04:05"))
	}
	parts = append(parts, "? help")
	return m.th.Status.Render(fit(strings.Join(parts, " · "), m.width))
}
