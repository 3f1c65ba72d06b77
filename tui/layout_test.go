package tui

import (
	"fmt"
	"strings"
	"testing"
)

// TestLayout draws the frame of each mode at one character per 10×4
// cells: Q queue, G gauges, T trends, A alerts, _ the status bar.
func TestLayout(t *testing.T) {
	var b strings.Builder
	for _, c := range []struct {
		w, h int
		show PaneID
	}{
		{59, 24, PaneQueue}, {80, 14, PaneQueue},
		{80, 24, PaneQueue}, {80, 24, PaneTrends},
		{120, 40, PaneQueue}, {120, 40, PaneAlerts},
		{160, 40, PaneQueue}, {200, 60, PaneQueue},
	} {
		f := Layout(c.w, c.h, c.show)
		fmt.Fprintf(&b, "%dx%d show %s: %s\n%s", c.w, c.h, c.show, f.Mode, f.Picture(c.w, c.h, 10, 4))
	}
	got := b.String()
	want := `59x24 show queue: too-small
too small
80x14 show queue: too-small
too small
80x24 show queue: tabs
QQQQQQQQ
QQQQQQQQ
QQQQQQQQ
QQQQQQQQ
QQQQQQQQ
QQQQQQQQ
________
80x24 show trends: tabs
TTTTTTTT
TTTTTTTT
TTTTTTTT
TTTTTTTT
TTTTTTTT
TTTTTTTT
________
120x40 show queue: two
QQQQQQQQGGGG
QQQQQQQQGGGG
QQQQQQQQGGGG
QQQQQQQQGGGG
QQQQQQQQGGGG
QQQQQQQQGGGG
QQQQQQQQGGGG
QQQQQQQQGGGG
QQQQQQQQGGGG
QQQQQQQQGGGG
____________
120x40 show alerts: two
QQQQQQQQAAAA
QQQQQQQQAAAA
QQQQQQQQAAAA
QQQQQQQQAAAA
QQQQQQQQAAAA
QQQQQQQQAAAA
QQQQQQQQAAAA
QQQQQQQQAAAA
QQQQQQQQAAAA
QQQQQQQQAAAA
____________
160x40 show queue: four
QQQQQQQQQQGGGGGG
QQQQQQQQQQGGGGGG
QQQQQQQQQQGGGGGG
QQQQQQQQQQGGGGGG
QQQQQQQQQQGGGGGG
QQQQQQQQQQGGGGGG
QQQQQQQQQQTTTTTT
AAAAAAAAAATTTTTT
AAAAAAAAAATTTTTT
AAAAAAAAAATTTTTT
________________
200x60 show queue: four
QQQQQQQQQQQQGGGGGGGG
QQQQQQQQQQQQGGGGGGGG
QQQQQQQQQQQQGGGGGGGG
QQQQQQQQQQQQGGGGGGGG
QQQQQQQQQQQQGGGGGGGG
QQQQQQQQQQQQGGGGGGGG
QQQQQQQQQQQQGGGGGGGG
QQQQQQQQQQQQGGGGGGGG
QQQQQQQQQQQQGGGGGGGG
QQQQQQQQQQQQTTTTTTTT
AAAAAAAAAAAATTTTTTTT
AAAAAAAAAAAATTTTTTTT
AAAAAAAAAAAATTTTTTTT
AAAAAAAAAAAATTTTTTTT
AAAAAAAAAAAATTTTTTTT
____________________
`
	if got != want {
		t.Fatalf("layout:\n%s\nwant:\n%s", got, want)
	}
}

// TestLayoutFillsTheScreen checks, for every size from the minimum up,
// that the shown panes tile the body exactly: no gap, no overlap.
func TestLayoutFillsTheScreen(t *testing.T) {
	for w := MinWidth; w <= 240; w += 7 {
		for h := MinHeight; h <= 80; h += 5 {
			for show := PaneQueue; show < numPanes; show++ {
				f := Layout(w, h, show)
				cells := make([]int, w*(h-1))
				for id, r := range f.Panes {
					if !f.Shown[id] {
						continue
					}
					for y := r.Y; y < r.Y+r.H; y++ {
						for x := r.X; x < r.X+r.W; x++ {
							cells[y*w+x]++
						}
					}
				}
				for i, n := range cells {
					if n != 1 {
						t.Fatalf("%dx%d show %s: cell (%d,%d) covered %d times", w, h, show, i%w, i/w, n)
					}
				}
			}
		}
	}
}
