package tui

import (
	"fmt"
	"strings"
	"testing"
)

func TestLayout(t *testing.T) {
	var b strings.Builder
	for _, s := range [][2]int{{59, 24}, {80, 14}, {80, 24}, {99, 40}, {100, 40}, {200, 60}} {
		mode, q, g := Layout(s[0], s[1])
		fmt.Fprintf(&b, "%dx%d mode=%d queue=%v gauges=%v\n", s[0], s[1], mode, q, g)
	}
	want := `59x24 mode=0 queue={0 0 0 0} gauges={0 0 0 0}
80x14 mode=0 queue={0 0 0 0} gauges={0 0 0 0}
80x24 mode=1 queue={0 0 80 23} gauges={0 0 80 23}
99x40 mode=1 queue={0 0 99 39} gauges={0 0 99 39}
100x40 mode=2 queue={0 0 60 39} gauges={60 0 40 39}
200x60 mode=2 queue={0 0 110 59} gauges={110 0 90 59}
`
	if b.String() != want {
		t.Fatalf("layout:\n%s\nwant:\n%s", b.String(), want)
	}
}
