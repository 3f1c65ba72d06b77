package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// list is the cursor and the scroll of a pane's rows, shared by every
// pane: which of n rows is selected, and which rows visible rows starting
// at top are on screen. It holds no rows: each pane keeps its own and asks
// the list which to draw. The zero value is an empty list.
type list struct {
	n      int // rows in all
	rows   int // rows on screen, at least 1
	cursor int
	top    int
	// reading: a text that is scrolled, not selected from; the cursor
	// stays 0 and does not hold the view.
	reading bool
}

// setLen sets how many rows there are, keeping the cursor and the top
// inside them.
func (l *list) setLen(n int) {
	l.n = max(n, 0)
	l.clamp()
}

// setRows sets how many rows fit on screen.
func (l *list) setRows(rows int) {
	l.rows = max(rows, 1)
	l.clamp()
}

// setCursor puts the cursor on row i (clamped) and scrolls to it.
func (l *list) setCursor(i int) {
	l.cursor = i
	l.clamp()
}

// move moves the cursor by delta rows and scrolls to keep it visible; it
// reports whether the cursor moved.
func (l *list) move(delta int) bool {
	old := l.cursor
	l.setCursor(l.cursor + delta)
	return l.cursor != old
}

// scroll moves the visible rows by delta without a cursor (a text that is
// read, not selected from).
func (l *list) scroll(delta int) {
	l.top = min(max(l.top+delta, 0), max(l.n-l.rows, 0))
}

// show scrolls so that row i is visible, leaving the cursor where it is
// (a pane whose selected item spans another row than its index).
func (l *list) show(i int) {
	switch {
	case i < l.top:
		l.top = i
	case i >= l.top+l.rows:
		l.top = i - l.rows + 1
	}
	l.top = min(max(l.top, 0), max(l.n-1, 0))
}

// visible is the range of rows on screen, [from, to).
func (l *list) visible() (from, to int) { return l.top, min(l.top+l.rows, l.n) }

// key moves the cursor for the four movement keys (up, down, page up,
// page down; pages only when paging) and reports whether the key was
// one of them.
func (l *list) key(msg tea.KeyMsg, k *KeyMap, paging bool) bool {
	switch {
	case key.Matches(msg, k.Down):
		l.move(1)
	case key.Matches(msg, k.Up):
		l.move(-1)
	case paging && key.Matches(msg, k.PageDown):
		l.move(l.rows)
	case paging && key.Matches(msg, k.PageUp):
		l.move(-l.rows)
	default:
		return false
	}
	return true
}

// scrollKey scrolls for the same keys, for a list without a cursor.
func (l *list) scrollKey(msg tea.KeyMsg, k *KeyMap) bool {
	switch {
	case key.Matches(msg, k.Down):
		l.scroll(1)
	case key.Matches(msg, k.Up):
		l.scroll(-1)
	case key.Matches(msg, k.PageDown):
		l.scroll(l.rows)
	case key.Matches(msg, k.PageUp):
		l.scroll(-l.rows)
	default:
		return false
	}
	return true
}

func (l *list) clamp() {
	l.rows = max(l.rows, 1)
	if l.reading {
		l.cursor = 0
		l.scroll(0)
		return
	}
	l.cursor = min(max(l.cursor, 0), max(l.n-1, 0))
	l.top = min(max(l.top, 0), max(l.n-1, 0))
	l.show(l.cursor)
}
