package tui

import (
	"context"
	"io"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
)

// FirstFrame is what the first complete frame of a console cost.
type FirstFrame struct {
	State time.Duration // the engine's first state: KPIs and trends of every window, the queue's head, the alerts (once for every session)
	Take  time.Duration // a session taking that state (its panes prepare their text)
	View  time.Duration // the View that draws them all
	Frame string
}

// MeasureFirstFrame starts a read-only engine on an open store, builds a
// viewer console of w×h on it, hands it the engine's first state and
// draws it, timing each step. It is for `cxtop bench`.
func MeasureFirstFrame(st *store.Store, cfg model.Config, w, h int) (FirstFrame, error) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	start := time.Now()
	eng := engine.New(st, engine.Options{ReadOnly: true, Taxonomy: cfg.Taxonomy})
	eng.Start(context.Background())
	defer eng.Close()
	state := time.Since(start)
	m, err := New(Options{Engine: eng, Config: cfg, Role: engine.RoleViewer, Theme: "dark", Renderer: r})
	if err != nil {
		return FirstFrame{}, err
	}
	defer m.Close()
	start = time.Now()
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(stateMsg{st: eng.State()})
	take := time.Since(start)
	start = time.Now()
	frame := m.View()
	return FirstFrame{State: state, Take: take, View: time.Since(start), Frame: frame}, nil
}
