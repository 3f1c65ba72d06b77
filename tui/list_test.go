package tui

import "testing"

func TestListMovesAndScrolls(t *testing.T) {
	for _, tc := range []struct {
		name             string
		n, rows          int
		do               func(*list)
		cursor, from, to int
	}{
		{"empty", 0, 5, func(l *list) { l.move(3) }, 0, 0, 0},
		{"down inside the page", 20, 5, func(l *list) { l.move(3) }, 3, 0, 5},
		{"down past the page scrolls", 20, 5, func(l *list) { l.move(6) }, 6, 2, 7},
		{"page down twice", 20, 5, func(l *list) { l.move(5); l.move(5) }, 10, 6, 11},
		{"up keeps the top until the cursor leaves", 20, 5, func(l *list) { l.move(10); l.move(-2) }, 8, 6, 11},
		{"up above the top scrolls", 20, 5, func(l *list) { l.move(10); l.move(-7) }, 3, 3, 8},
		{"clamped at the end", 20, 5, func(l *list) { l.move(100) }, 19, 15, 20},
		{"clamped at the start", 20, 5, func(l *list) { l.move(-100) }, 0, 0, 5},
		{"fewer rows than fit", 3, 5, func(l *list) { l.move(2) }, 2, 0, 3},
		{"shrinking keeps the cursor inside", 20, 5, func(l *list) { l.move(15); l.setLen(4) }, 3, 3, 4},
		{"show scrolls without moving", 20, 5, func(l *list) { l.show(12) }, 0, 8, 13},
		{"setCursor scrolls to it", 20, 5, func(l *list) { l.setCursor(9) }, 9, 5, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := list{}
			l.setRows(tc.rows)
			l.setLen(tc.n)
			tc.do(&l)
			from, to := l.visible()
			if l.cursor != tc.cursor || from != tc.from || to != tc.to {
				t.Fatalf("cursor %d, visible [%d,%d); want %d, [%d,%d)", l.cursor, from, to, tc.cursor, tc.from, tc.to)
			}
		})
	}
}

func TestReadingListScrollsWithoutCursor(t *testing.T) {
	l := list{reading: true}
	l.setRows(10)
	l.setLen(25)
	l.scroll(7)
	if from, to := l.visible(); from != 7 || to != 17 {
		t.Fatalf("after scrolling 7: [%d,%d)", from, to)
	}
	l.scroll(100) // no further than the last page
	if from, to := l.visible(); from != 15 || to != 25 || l.cursor != 0 {
		t.Fatalf("after scrolling past the end: [%d,%d), cursor %d", from, to, l.cursor)
	}
	l.scroll(-100)
	if from, _ := l.visible(); from != 0 {
		t.Fatalf("after scrolling back: from %d", from)
	}
}
