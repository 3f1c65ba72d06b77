package tui

// Minimum terminal size; below it the console says so instead of drawing.
const (
	MinWidth  = 60
	MinHeight = 15
	// SplitWidth is where the queue and a side pane go side by side.
	SplitWidth = 100
	// FourWidth is where all four panes show at once.
	FourWidth = 160
)

// Mode is how the panes share the screen.
type Mode int

const (
	ModeTooSmall Mode = iota
	ModeTabs          // one pane at a time, switched with tab / 1–4
	ModeTwo           // the queue on the left, one side pane on the right
	ModeFour          // queue and alerts on the left, gauges and trends on the right
)

func (m Mode) String() string {
	return [...]string{"too-small", "tabs", "two", "four"}[m]
}

// PaneID names the console's panes, in tab order.
type PaneID int

const (
	PaneQueue PaneID = iota
	PaneGauges
	PaneTrends
	PaneAlerts
	numPanes
)

var paneNames = [...]string{"queue", "KPIs", "trends", "alerts"}

func (p PaneID) String() string { return paneNames[p] }

// Rect is a pane's place, in cells.
type Rect struct{ X, Y, W, H int }

// Empty reports whether the rectangle shows nothing.
func (r Rect) Empty() bool { return r.W <= 0 || r.H <= 0 }

// Frame is where each pane goes. A pane not on screen still has the
// place it would take when shown (so it keeps its size and its rows
// loaded), with Shown false. One line at the bottom is the status bar.
type Frame struct {
	Mode  Mode
	Panes [numPanes]Rect
	Shown [numPanes]bool
}

// Layout is a pure function of the terminal size and the pane that should
// show when not every pane fits (focus in tab mode, the side pane in two
// columns).
func Layout(w, h int, show PaneID) Frame {
	f := Frame{}
	if w < MinWidth || h < MinHeight {
		return f
	}
	body := h - 1
	switch {
	case w < SplitWidth:
		f.Mode = ModeTabs
		for id := range f.Panes {
			f.Panes[id] = Rect{0, 0, w, body}
		}
		f.Shown[show] = true
	case w < FourWidth:
		f.Mode = ModeTwo
		side := min(w*2/5, 64)
		for id := range f.Panes {
			f.Panes[id] = Rect{w - side, 0, side, body}
		}
		f.Panes[PaneQueue] = Rect{0, 0, w - side, body}
		if show == PaneQueue {
			show = PaneGauges
		}
		f.Shown[PaneQueue], f.Shown[show] = true, true
	default:
		f.Mode = ModeFour
		// The right column takes up to 90 columns: room for a trend line
		// beside each gauge. The gauges get three fifths of its height,
		// the alerts a third of the left column's.
		side := min(w*2/5, 90)
		left := w - side
		gh := body * 3 / 5
		ah := max(body/3, 6)
		f.Panes[PaneQueue] = Rect{0, 0, left, body - ah}
		f.Panes[PaneAlerts] = Rect{0, body - ah, left, ah}
		f.Panes[PaneGauges] = Rect{left, 0, side, gh}
		f.Panes[PaneTrends] = Rect{left, gh, side, body - gh}
		f.Shown = [numPanes]bool{true, true, true, true}
	}
	return f
}

// Picture draws a frame at one character per cx×cy cells, each pane as its
// initial (Q, G, T, A), for tests and docs to read at a glance.
func (f Frame) Picture(w, h, cx, cy int) string {
	if f.Mode == ModeTooSmall {
		return "too small\n"
	}
	letters := [...]byte{'Q', 'G', 'T', 'A'}
	var b []byte
	for y := 0; y < h-1; y += cy {
		for x := 0; x < w; x += cx {
			c := byte('.')
			for id, r := range f.Panes {
				if f.Shown[id] && x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H {
					c = letters[id]
				}
			}
			b = append(b, c)
		}
		b = append(b, '\n')
	}
	for x := 0; x < w; x += cx {
		b = append(b, '_') // the status bar
	}
	return string(append(b, '\n'))
}
