package tui

import (
	"fmt"
	"slices"
	"strings"
	"unsafe"

	"github.com/charmbracelet/bubbles/key"
)

// View joins the panes' prepared text: no store reads and no per-cell
// styling happen here.
func (m *Model) View() string {
	f := m.frame
	if f.Mode == ModeTooSmall {
		if m.width == 0 {
			return ""
		}
		return fmt.Sprintf("terminal too small: %d×%d\ncxtop needs at least %d×%d", m.width, m.height, MinWidth, MinHeight)
	}
	var body string
	switch {
	case m.help:
		h := m.height - m.bannerLines()
		body = m.env.frame("Help   (esc or ? closes)", columns(m.helpLines(), m.width-4, h-4), m.width, h-1, true)
	case m.showDetail:
		body = m.detail.View()
	case f.Mode == ModeTabs:
		body = m.panes[m.focus].View()
	case f.Mode == ModeTwo:
		side := m.focus
		if side == PaneQueue {
			side = m.side
		}
		body = m.join(joinColumns, m.queue.View(), m.panes[side].View())
	default:
		body = m.join(func(b ...string) string { return joinColumns(b[0]+"\n"+b[1], b[2]+"\n"+b[3]) },
			m.queue.View(), m.alerts.View(), m.gauges.View(), m.trends.View())
	}
	if m.opt.Banner != "" {
		body = m.banner() + "\n" + body
	}
	if m.bell {
		// BEL has no width: the frame keeps its shape, and the renderer
		// writes the changed first line (so the bell) once.
		body = "\a" + body
	}
	// The frame, memoised like the panes' join: takeState and the
	// renderer ask for the same frame three times a state.
	return m.framed.of(m, frameWay, func(b ...string) string { return b[0] + "\n" + b[1] }, body, m.statusBar())
}

// statusBar puts what just happened first, so it survives a narrow
// terminal; the rest is cut from the right. While a prompt is open it is
// the prompt.
func (m *Model) statusBar() string {
	if m.prompt.active() {
		line := m.prompt.input.View() + "   " + m.th.Muted.Render(m.prompt.hint)
		return fit(line, m.width)
	}
	parts := []string{"cxtop"}
	if m.message != "" {
		parts = append(parts, m.message)
	}
	if n := m.alerts.active; n > 0 {
		parts = append(parts, fmt.Sprintf("✗ %d alerts", n))
	}
	if m.frame.Mode != ModeFour {
		parts = append(parts, m.tabs())
	}
	parts = append(parts, m.storeName(), string(m.opt.Role))
	if m.state != nil {
		parts = append(parts, m.syncLine, "updated "+m.updated.UTC().Format("15:04:05"))
	}
	parts = append(parts, "? help")
	k := statusKey{theme: m.th.Name, profile: m.env.profile, line: strings.Join(parts, " · "), w: m.width}
	if k == m.status.key { // View runs twice a state (takeState) and once a frame
		return m.status.out
	}
	var gen uint64
	if m.state != nil {
		gen = m.state.Gen
	}
	m.status.key = k
	m.status.out = shared(m.env, gen, k, func() string { return m.th.Status.Render(fit(k.line, k.w)) })
	return m.status.out
}

// statusKey is what the status bar's drawing depends on.
type statusKey struct {
	theme, profile, line string
	w                    int
}

// drawnStatus is the last status bar drawn and what it depends on.
type drawnStatus struct {
	key statusKey
	out string
}

// joined is the last joinColumns of a View and what it joined: the panes
// hand over the same strings until they change.
type joined struct {
	blocks []string
	out    string
}

// join lays the panes out with how, memoised over the last call.
func (m *Model) join(how func(...string) string, blocks ...string) string {
	return m.joined.of(m, len(blocks), how, blocks...)
}

// of is how(blocks...), or the last result when the blocks are the same
// (the panes hand over the same strings until they change, and equal
// strings compare by pointer first: an unchanged frame costs nothing).
// Sessions of a group whose panes are the group's drawings (the same
// strings in memory) share the result too: one frame in memory for all.
func (j *joined) of(m *Model, way int, how func(...string) string, blocks ...string) string {
	if j.blocks != nil && slices.Equal(blocks, j.blocks) {
		return j.out
	}
	out := ""
	if k, ok := joinKeyOf(way, blocks); ok && m.env.share != nil {
		var gen uint64
		if m.state != nil {
			gen = m.state.Gen
		}
		out = shared(m.env, gen, k, func() string { return how(blocks...) })
	} else {
		out = how(blocks...)
	}
	*j = joined{blocks: blocks, out: out}
	return j.out
}

// joinKey names up to four strings by where they are in memory, and the
// way they are joined (two columns, four panes, or frameWay).
type joinKey struct {
	way  int
	at   [4]*byte
	lens [4]int
}

// frameWay joins the panes and the status bar (View).
const frameWay = 0

func joinKeyOf(way int, blocks []string) (joinKey, bool) {
	k := joinKey{way: way}
	if len(blocks) > len(k.at) {
		return k, false
	}
	for i, b := range blocks {
		k.at[i], k.lens[i] = unsafe.StringData(b), len(b)
	}
	return k, true
}

// tabs shows, for the modes that hide some panes, the one on screen by
// name and the others by the number that jumps to them.
func (m *Model) tabs() string {
	var b strings.Builder
	for id := PaneQueue; id < numPanes; id++ {
		if id > 0 {
			b.WriteByte(' ')
		}
		if m.frame.Shown[id] && id != PaneQueue || m.frame.Mode == ModeTabs && id == m.focus {
			fmt.Fprintf(&b, "[%d %s]", id+1, id)
		} else {
			fmt.Fprintf(&b, "%d", id+1)
		}
	}
	return b.String()
}

// helpLines lists the global keys, the keys that move in the focused pane,
// then each pane's own keys under that pane (the focused one first), so a
// key is listed where it acts: r under trends, x under alerts.
func (m *Model) helpLines() []string {
	focused := m.focus.String()
	if m.showDetail {
		focused = "ticket detail"
	}
	var panes []helpPane
	if m.showDetail { // its keys are the queue's otherwise: listed once
		panes = append(panes, helpPane{"ticket detail", m.detail.KeyMap()})
	}
	for id := PaneID(0); id < numPanes; id++ {
		panes = append(panes, helpPane{id.String(), m.panes[id].KeyMap()})
	}
	var lines []string
	for _, s := range helpSections(&m.keys, panes, focused) {
		lines = append(lines, m.th.Header.Render(s.title))
		for _, b := range s.keys {
			lines = append(lines, fmt.Sprintf("  %-16s %s", b.Help().Key, b.Help().Desc))
		}
		lines = append(lines, "")
	}
	return lines
}

// helpPane is a pane's name and the keys it answers.
type helpPane struct {
	name string
	keys []key.Binding
}

// helpSection is one titled list of the help view.
type helpSection struct {
	title string
	keys  []key.Binding
}

// helpSections groups the keys for the help view: the focused pane's own
// keys first (what the user is most likely after, visible on a small
// terminal), then everywhere, moving in the focused pane, then each other
// pane's own keys under its name. A pane without keys of its own is left
// out.
func helpSections(k *KeyMap, panes []helpPane, focused string) []helpSection {
	moving := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Open, k.Back}
	isMoving := map[string]bool{}
	for _, b := range moving {
		isMoving[b.Help().Desc] = true
	}
	own := func(p helpPane) []key.Binding {
		var out []key.Binding
		for _, b := range p.keys {
			if !isMoving[b.Help().Desc] {
				out = append(out, b)
			}
		}
		return out
	}
	var out, others []helpSection
	for _, p := range panes {
		keys := own(p)
		switch {
		case p.name == focused:
			out = append(out, helpSection{"in the " + p.name + " pane (focused)", keys})
		case len(keys) > 0:
			others = append(others, helpSection{"in the " + p.name + " pane", keys})
		}
	}
	out = append(out, helpSection{"everywhere", k.global()}, helpSection{"moving, in the focused pane", moving})
	return append(out, others...)
}

// columns sets lines side by side in as many columns as it takes to fit
// rows, when the width allows; otherwise the lines stay one column.
func columns(lines []string, w, rows int) []string {
	n := (len(lines) + rows - 1) / max(rows, 1)
	if n <= 1 || w/n < 30 {
		return lines
	}
	colW := w / n
	out := make([]string, rows)
	for i, l := range lines {
		out[i%rows] += fit(l, colW)
	}
	return out
}

// joinColumns sets blocks side by side, line by line. Every pane's text is
// exactly its rectangle (frame pads each line to the width), so no width
// needs measuring: this is lipgloss.JoinHorizontal without the cost of
// measuring every line of every block on every frame.
func joinColumns(blocks ...string) string {
	cols := make([][]string, len(blocks))
	rows, size := 0, 0
	for i, b := range blocks {
		cols[i] = strings.Split(b, "\n")
		rows = max(rows, len(cols[i]))
		size += len(b)
	}
	var out strings.Builder
	out.Grow(size + rows)
	for r := 0; r < rows; r++ {
		if r > 0 {
			out.WriteByte('\n')
		}
		for _, c := range cols {
			if r < len(c) {
				out.WriteString(c[r])
			}
		}
	}
	return out.String()
}
