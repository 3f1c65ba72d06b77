package tui

import (
	"io"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/cxtop/cxtop/store"
)

// FirstFrame is what the first complete frame of a console cost.
type FirstFrame struct {
	Load   time.Duration // the queue page, KPIs and trends (one refresh)
	Alerts time.Duration // the alert list, read in its own command beside the refresh
	View   time.Duration // the View that draws them all
	Frame  string
}

// MeasureFirstFrame builds a viewer console of w×h on an open store, loads
// what its first frame shows the way the program does (one refresh, and
// the alert list, which the program reads concurrently), and draws it,
// timing each step. It is for `cxtop bench`.
func MeasureFirstFrame(st *store.Store, cfg Config, w, h int) (FirstFrame, error) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	m, err := New(Options{Store: st, Config: cfg, Role: RoleViewer, Theme: "dark", Renderer: r})
	if err != nil {
		return FirstFrame{}, err
	}
	start := time.Now()
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(m.refresh()())
	load := time.Since(start)
	start = time.Now()
	m.Update(m.loadAlerts()())
	alerts := time.Since(start)
	start = time.Now()
	frame := m.View()
	return FirstFrame{Load: load, Alerts: alerts, View: time.Since(start), Frame: frame}, nil
}
