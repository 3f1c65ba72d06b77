package tui

import (
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/cxtop/cxtop/store"
)

// The functions of this file serve `cxtop bench`.

// FirstFrame is what the first complete frame of a console cost.
type FirstFrame struct {
	Load   time.Duration // the queue page, KPIs and trends (one refresh)
	Alerts time.Duration // the alert list, read in its own command beside the refresh
	View   time.Duration // the View that draws them all
	Frame  string
}

// Total is the time to the complete frame: the alert list is read
// concurrently with the refresh, so the slower of the two counts.
func (f FirstFrame) Total() time.Duration { return max(f.Load, f.Alerts) + f.View }

// benchModel is a viewer console of w×h on st, drawn in the Ascii profile,
// whose clock is now (nil: the real clock).
func benchModel(st *store.Store, cfg Config, now func() time.Time) (*Model, error) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return New(Options{Store: st, Config: cfg, Role: RoleViewer, Theme: "dark", Renderer: r, Now: now})
}

// MeasureFirstFrame builds a viewer console of w×h on an open store, loads
// what its first frame shows the way the program does (one refresh, and
// the alert list, which the program reads concurrently), and draws it,
// timing each step. now is the console's clock (nil: the real one).
func MeasureFirstFrame(st *store.Store, cfg Config, w, h int, now func() time.Time) (FirstFrame, error) {
	m, err := benchModel(st, cfg, now)
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

// MeasureView draws a loaded w×h console n times and, as the reference,
// joins h pre-built lines of w cells n times (the floor any View pays). It
// returns both sets of durations, sorted.
func MeasureView(st *store.Store, cfg Config, w, h, n int, now func() time.Time) (view, join []time.Duration, err error) {
	m, err := benchModel(st, cfg, now)
	if err != nil {
		return nil, nil, err
	}
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(m.refresh()())
	m.Update(m.loadAlerts()())
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
// the real clock) of w×h on st, writing to a counting terminal. It lets the
// first frame settle for settle, then counts the bytes written during idle.
// It returns those bytes and, as the reference, the bytes of the first
// frame (what one full redraw costs).
func MeasureIdle(st *store.Store, cfg Config, w, h int, settle, idle time.Duration) (idleBytes, firstFrame int64, err error) {
	m, err := benchModel(st, cfg, nil)
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
