package tui

import (
	"context"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
)

// The functions of this file serve `cxtop bench`.

// FirstFrame is what the first complete frame of a console cost.
type FirstFrame struct {
	// State is the engine's first state: KPIs and trends of the windows
	// a first frame shows (the others follow in the next state), the
	// queue's head, the alert list (once for all sessions).
	State time.Duration
	Take  time.Duration // a session taking that state (its panes prepare their text)
	View  time.Duration // the View that draws them all
	Frame string
}

// Total is the time to the complete frame.
func (f FirstFrame) Total() time.Duration { return f.State + f.Take + f.View }

// benchEngine is a read-only engine on st whose clock is now (nil: the
// real clock), started; close it after.
func benchEngine(st *store.Store, cfg Config, now func() time.Time) *engine.Engine {
	eng := engine.New(st, engine.Options{ReadOnly: true, Taxonomy: cfg.Taxonomy, Now: now})
	eng.Start(context.Background())
	return eng
}

// benchModel is a viewer console on eng, drawn in the Ascii profile, whose
// clock is now (nil: the real clock).
func benchModel(eng *engine.Engine, cfg Config, now func() time.Time) (*Model, error) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return New(Options{Engine: eng, Config: cfg, Role: engine.RoleViewer, Theme: "dark", Renderer: r, Now: now})
}

// MeasureFirstFrame starts a read-only engine on an open store (its first
// state), builds a viewer console of w×h on it, hands it that state and
// draws it, timing each step. now is the clock (nil: the real one).
func MeasureFirstFrame(st *store.Store, cfg Config, w, h int, now func() time.Time) (FirstFrame, error) {
	start := time.Now()
	eng := benchEngine(st, cfg, now)
	defer eng.Close()
	state := time.Since(start)
	m, err := benchModel(eng, cfg, now)
	if err != nil {
		return FirstFrame{}, err
	}
	start = time.Now()
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(stateMsg{st: eng.State()})
	take := time.Since(start)
	start = time.Now()
	frame := m.View()
	return FirstFrame{State: state, Take: take, View: time.Since(start), Frame: frame}, nil
}

// MeasureView draws a loaded w×h console n times and, as the reference,
// joins h pre-built lines of w cells n times (the floor any View pays). It
// returns both sets of durations, sorted.
func MeasureView(st *store.Store, cfg Config, w, h, n int, now func() time.Time) (view, join []time.Duration, err error) {
	eng := benchEngine(st, cfg, now)
	defer eng.Close()
	m, err := benchModel(eng, cfg, now)
	if err != nil {
		return nil, nil, err
	}
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(stateMsg{st: eng.State()})
	lines := make([]string, h)
	for i := range lines {
		lines[i] = strings.Repeat("x", w)
	}
	for i := 0; i < n; i++ {
		start := time.Now()
		_ = m.View()
		view = append(view, time.Since(start))
		start = time.Now()
		_ = strings.Join(lines, "\n")
		join = append(join, time.Since(start))
	}
	slices.Sort(view)
	slices.Sort(join)
	return view, join, nil
}

// countingWriter is a terminal that counts what it is sent.
type countingWriter struct{ n atomic.Int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n.Add(int64(len(p))); return len(p), nil }

// MeasureIdle runs a real console program (renderer at 20 frames a second,
// the real clock) of w×h on a read-only engine on st, writing to a
// counting terminal. It lets the first frame settle for settle, then
// counts the bytes written during idle. It returns those bytes and, as the
// reference, the bytes of the first frame (what one full redraw costs).
func MeasureIdle(st *store.Store, cfg Config, w, h int, settle, idle time.Duration) (idleBytes, firstFrame int64, err error) {
	eng := benchEngine(st, cfg, nil)
	defer eng.Close()
	m, err := benchModel(eng, cfg, nil)
	if err != nil {
		return 0, 0, err
	}
	defer m.Close()
	out := &countingWriter{}
	p := tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(out), tea.WithFPS(20), tea.WithoutSignalHandler())
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	p.Send(tea.WindowSizeMsg{Width: w, Height: h})
	time.Sleep(settle)
	firstFrame = out.n.Swap(0)
	time.Sleep(idle)
	idleBytes = out.n.Load()
	p.Quit()
	if err := <-done; err != nil {
		return 0, 0, err
	}
	return idleBytes, firstFrame, nil
}
