package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/cxtop/cxtop/model/privacy"
	"github.com/cxtop/cxtop/store"
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

// env is what every pane of one session shares: the store to load from,
// the clock, the theme (replaced in place when the user switches) and the
// keys.
type env struct {
	st   *store.Store
	cfg  Config
	now  func() time.Time
	th   *theme.Theme
	keys *KeyMap
	// syncing: a sync loop fills the store while the console runs.
	syncing bool
	// mask, when set, hides personal data in everything shown (privacy.go).
	mask *privacy.Masker
}

// themeMsg tells the panes the theme changed: prepared text must be
// restyled.
type themeMsg struct{}

// clockMsg tells the panes time passed: ages and countdowns move.
type clockMsg struct{}

// frame draws lines in a w×h box with a title; a focused pane's title is
// marked so focus shows without colour.
func (e *env) frame(title string, lines []string, w, h int, focused bool) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	inner := max(h-3, 0) // the title line and two border lines
	if len(lines) > inner {
		lines = lines[:inner]
	}
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

// scrollTo returns the first visible row that keeps cursor inside rows.
func scrollTo(top, cursor, rows int) int {
	switch {
	case rows <= 0:
		return 0
	case cursor < top:
		return cursor
	case cursor >= top+rows:
		return cursor - rows + 1
	}
	return top
}
