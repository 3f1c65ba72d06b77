package tui

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/cxtop/cxtop/model/privacy"
	"github.com/cxtop/cxtop/store/engine"
	"github.com/cxtop/cxtop/theme"
)

// Pane is one part of the console. Update takes the messages the root
// routes to it (keys only when it has the focus; data, theme and clock
// messages always), SetSize places it, View returns its framed text, which
// the pane prepares in Update and SetSize so View only hands it over.
// KeyMap lists the pane's own keys for the help view.
type Pane interface {
	Update(msg tea.Msg) (Pane, tea.Cmd)
	View() string
	SetSize(w, h int)
	SetFocus(focused bool)
	KeyMap() []key.Binding
}

// env is what every pane of one session shares: the read-only view of the
// store (for what the engine's state does not hold), the clock, the theme
// (replaced in place when the user switches) and the keys.
type env struct {
	rd   engine.Reader
	cfg  Config
	now  func() time.Time
	th   *theme.Theme
	keys *KeyMap
	// profile is the renderer's colour profile: the styles' output
	// depends on it, so shared drawings are told apart by it.
	profile string
	// syncing: a sync loop fills the store while the console runs.
	syncing bool
	// mask, when set, hides personal data in everything shown (privacy.go).
	mask *privacy.Masker
	// share is the group this session shares drawings with (nil: none);
	// pinned is then the clock now reads (shared.go).
	share  *Shared
	pinned time.Time
}

// themeMsg tells the panes the theme changed: prepared text must be
// restyled.
type themeMsg struct{}

// frame draws lines in a w×h box with a title; a focused pane's title is
// marked so focus shows without colour. Sessions that show the same pane
// the same way (the SSH viewers of one engine, mostly) share one drawing:
// the box is most of a pane's cost, and it is a pure function of what the
// key holds.
func (e *env) frame(title string, lines []string, w, h int, focused bool) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	inner := max(h-3, 0) // the title line and two border lines
	if len(lines) > inner {
		lines = lines[:inner]
	}
	var key strings.Builder
	fmt.Fprintf(&key, "%s\x00%s\x00%d\x00%d\x00%t\x00%s", e.th.Name, e.profile, w, h, focused, title)
	for _, l := range lines {
		key.WriteByte(0)
		key.WriteString(l)
	}
	return frames.get(key.String(), func() string { return e.draw(title, lines, w, h, inner, focused) })
}

// draw is frame without the sharing.
func (e *env) draw(title string, lines []string, w, h, inner int, focused bool) string {
	body := make([]string, 0, inner+1)
	mark := "  "
	style := e.th.Title
	if focused {
		mark = "▶ "
	} else {
		style = e.th.Muted
	}
	body = append(body, style.Render(fit(mark+title, w-4)))
	for _, l := range lines {
		body = append(body, fit(l, w-4))
	}
	for len(body) < inner+1 {
		body = append(body, strings.Repeat(" ", max(w-4, 0)))
	}
	border := e.th.Border
	if focused {
		border = e.th.FocusBorder
	}
	return border.Width(w-2).Padding(0, 1).Render(strings.Join(body, "\n"))
}

// frameCache holds drawn panes (or styled lines) by everything their
// drawing depends on. Past max entries it starts again empty: the
// drawings of the latest state are what sessions ask for.
type frameCache struct {
	mu  sync.Mutex
	m   map[string]string
	max int
}

// frames holds a few drawings per pane, terminal size and theme in use
// (a drawing is a pane's whole text, kilobytes).
var frames = &frameCache{m: map[string]string{}, max: 256}

func (c *frameCache) get(key string, draw func() string) string {
	c.mu.Lock()
	v, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return v
	}
	v = draw()
	c.mu.Lock()
	if len(c.m) >= c.max {
		c.m = map[string]string{}
	}
	c.m[key] = v
	c.mu.Unlock()
	return v
}

// paint renders s in one of the theme's styles, named by kind: the rows
// of a queue or an alert feed are the same for every session of one
// engine that shows them, so the styled text is shared like frames.
func (e *env) paint(kind string, st lipgloss.Style, s string) string {
	return painted.get(e.th.Name+"\x00"+e.profile+"\x00"+kind+"\x00"+s, func() string { return st.Render(s) })
}

// painted holds styled lines (paint), frames the drawn panes.
var painted = &frameCache{m: map[string]string{}, max: 4096}
