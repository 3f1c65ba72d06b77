package tui

// Minimum terminal size; below it the console says so instead of drawing.
const (
	MinWidth  = 60
	MinHeight = 15
	// SplitWidth is where the queue and the gauges go side by side.
	SplitWidth = 100
)

// Mode is how the panes share the screen.
type Mode int

const (
	ModeTooSmall Mode = iota
	ModeTabs          // one pane at a time, switched with tab / 1–2
	ModeSplit         // queue left, gauges right
)

// Rect is a pane's place, in cells.
type Rect struct{ X, Y, W, H int }

// Layout is a pure function of the terminal size: the mode and the
// rectangles of the queue and gauges panes (the gauges rectangle equals
// the queue's in tab mode). One line at the bottom is the status bar.
func Layout(w, h int) (mode Mode, queue, gauges Rect) {
	if w < MinWidth || h < MinHeight {
		return ModeTooSmall, Rect{}, Rect{}
	}
	body := h - 1
	if w < SplitWidth {
		r := Rect{0, 0, w, body}
		return ModeTabs, r, r
	}
	// The gauges take up to 90 columns: room for a 24-point trend line
	// beside each KPI on wide terminals.
	gw := min(w*2/5, 90)
	if w >= 180 {
		gw = 90
	}
	return ModeSplit, Rect{0, 0, w - gw, body}, Rect{w - gw, 0, gw, body}
}
