package serve

import (
	"bytes"
	"strings"
	"testing"
)

func TestRedrawWritesOnlyWhatChanged(t *testing.T) {
	for _, tc := range []struct {
		name, from, to string
		w, h           int
		want           string
	}{
		{"first frame: cleared, every line, short lines erased to their end", "", "abc\nde", 3, 5,
			"\x1b[2J\x1b[1Habc\x1b[2Hde\x1b[K"},
		{"one line changed", "abc\ndef\nghi", "abc\nDEF\nghi", 3, 5, "\x1b[2HDEF"},
		{"nothing changed", "abc\ndef", "abc\ndef", 3, 5, ""},
		{"a shorter frame erases below it", "abc\ndef\nghi", "abc", 3, 5, "\x1b[2H\x1b[J"},
		{"a longer frame", "abc", "abc\ndef", 3, 5, "\x1b[2Hdef"},
		{"a wide line is cut to the width", "", "abcdef", 4, 5, "\x1b[2J\x1b[1Habcd"},
		{"styles take no width", "x", "\x1b[1mab\x1b[0m", 2, 5, "\x1b[1H\x1b[1mab\x1b[0m"},
		{"wide runes count twice", "x", "日本", 4, 5, "\x1b[1H日本"},
		{"a frame taller than the screen loses its first lines", "", "1\n2\n3", 1, 2, "\x1b[2J\x1b[1H2\x1b[2H3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(redraw(tc.from, tc.to, tc.w, tc.h)); got != tc.want {
				t.Fatalf("redraw(%q → %q, %d×%d) = %q, want %q", tc.from, tc.to, tc.w, tc.h, got, tc.want)
			}
		})
	}
}

// Sessions making the same change share its bytes; the cache keeps only
// the last few changes.
func TestChangesAreSharedAndBounded(t *testing.T) {
	c := newChanges()
	a := c.get("abc", "abd", 3, 1)
	b := c.get(strings.Clone("abc"), strings.Clone("abd"), 3, 1) // equal frames, other memory
	if &a[0] != &b[0] {
		t.Fatal("the same change was worked out twice")
	}
	if other := c.get("abc", "abd", 4, 1); bytes.Equal(other, a) {
		t.Fatal("a change at another width gave the same bytes")
	}
	for i := range 3 * keptChanges {
		c.get("", strings.Repeat("x", i+1), 80, 1)
	}
	if len(c.m) > keptChanges || len(c.order) != len(c.m) {
		t.Fatalf("the cache holds %d changes (%d in order), at most %d", len(c.m), len(c.order), keptChanges)
	}
}

// A session draws nothing before it knows its size, nothing for a frame
// it already shows, and the bell on its own before the next frame.
func TestScreenDraws(t *testing.T) {
	var out bytes.Buffer
	s := &screen{out: &out, changes: newChanges()}
	s.draw("abc")
	if out.Len() != 0 {
		t.Fatalf("a screen of unknown size drew %q", out.String())
	}
	s.resize(3, 2)
	s.draw("abc")
	s.draw("abc")
	if got := out.String(); got != "\x1b[2J\x1b[1Habc" {
		t.Fatalf("drew %q", got)
	}
	out.Reset()
	s.ring()
	s.draw("abd")
	if got := out.String(); got != "\a\x1b[1Habd" {
		t.Fatalf("a bell and a change drew %q", got)
	}
	out.Reset()
	s.resize(4, 2)
	s.draw("abd")
	if got := out.String(); got != "\x1b[2J\x1b[1Habd\x1b[K" {
		t.Fatalf("the same frame at a new size drew %q, want it repainted", got)
	}
}
