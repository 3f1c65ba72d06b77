package tui

import (
	"slices"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/cxtop/cxtop/model"
)

// KPIWindows are the spans the window key steps through, in order; 0 is
// each KPI over its own default window (kpi.Def.Window), where the
// console starts.
var KPIWindows = []time.Duration{0, 24 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour, 90 * 24 * time.Hour}

// nextWindow is the window after w in KPIWindows (the first after the
// last, or after a window not in the list).
func nextWindow(w time.Duration) time.Duration {
	i := slices.Index(KPIWindows, w)
	return KPIWindows[(i+1)%len(KPIWindows)]
}

// switchWindow moves the gauges to the next KPI window: the engine's
// state holds every window (or says it is computing one, which its next
// state brings), so nothing is read.
func (m *Model) switchWindow() tea.Cmd {
	m.opt.Window = nextWindow(m.opt.Window)
	m.gauges.window = m.opt.Window
	m.message = "KPIs over the last " + ShortDuration(m.opt.Window)
	if m.opt.Window == 0 {
		m.message = "KPIs each over its own window"
	}
	if m.state != nil {
		_, cmd := m.gauges.Update(stateMsg{st: m.state})
		return cmd
	}
	m.gauges.render()
	return nil
}

// bannerLines is the height the banner takes above the panes.
func (m *Model) bannerLines() int {
	if m.opt.Banner == "" {
		return 0
	}
	return 1
}

// banner is the line above the panes saying what the console shows when it
// is not the live store (a snapshot, a past moment).
func (m *Model) banner() string {
	return m.th.Status.Render(fit(" "+model.Sanitize(m.opt.Banner), m.width))
}
