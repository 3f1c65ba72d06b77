package serve

import (
	"bytes"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// screen draws a session's frames on its channel in place of Bubble Tea's
// standard renderer (the program runs tea.WithoutRenderer). That renderer
// kept, per session, three copies of the last frame (its buffer, the
// frame, and the frame again split into lines: ~100 KB at 120×40) and
// measured every changed line of every session. Here a session keeps the
// frame on its client's screen (the console's memoised frame, the group's
// own string when the session shows what the others show), and the bytes
// that turn one frame into the next are worked out once for all the
// sessions that make the same change (changes). It writes what the
// standard renderer wrote: the alternate screen, the cursor hidden,
// bracketed paste, each changed line cut to the width and erased to its
// end, the rest of the screen erased below a shorter frame.
type screen struct {
	out     io.Writer
	changes *changes
	w, h    int
	last    string // the frame on the client's screen; "" repaints
	bell    bool   // ring with the next frame
}

const (
	screenStart = ansi.SetAltScreenSaveCursorMode + ansi.EraseEntireScreen + ansi.CursorHomePosition +
		ansi.HideCursor + ansi.SetBracketedPasteMode
	screenEnd = ansi.ResetBracketedPasteMode + ansi.ShowCursor + ansi.ResetAltScreenSaveCursorMode
)

// console is the session's model as its program runs it: the console,
// drawn by the screen each time Bubble Tea asks for a view (after every
// message, on the program's goroutine).
type console struct {
	tea.Model
	scr *screen
}

func (c *console) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if ws, ok := msg.(tea.WindowSizeMsg); ok {
		c.scr.resize(ws.Width, ws.Height)
	}
	var cmd tea.Cmd
	c.Model, cmd = c.Model.Update(msg)
	return c, cmd
}

func (c *console) View() string {
	c.scr.draw(c.Model.View())
	return ""
}

func (s *screen) start() { io.WriteString(s.out, screenStart) } //nolint:errcheck // a gone client ends the session anyway
func (s *screen) end()   { io.WriteString(s.out, screenEnd) }   //nolint:errcheck

// ring rings the bell with the next frame (tui.Options.Bell).
func (s *screen) ring() { s.bell = true }

// resize repaints the whole frame at the new size.
func (s *screen) resize(w, h int) {
	if w != s.w || h != s.h {
		s.w, s.h, s.last = w, h, ""
	}
}

// draw brings the client's screen from the last frame to frame.
func (s *screen) draw(frame string) {
	if s.bell {
		s.bell = false
		io.WriteString(s.out, "\a") //nolint:errcheck
	}
	if frame == "" || frame == s.last || s.w <= 0 || s.h <= 0 {
		return // equal strings compare by pointer first: the usual case costs nothing
	}
	s.out.Write(s.changes.get(s.last, frame, s.w, s.h)) //nolint:errcheck
	s.last = frame
}

// changes is the server's cache of the bytes that turn one frame into
// another at a size: the sessions that show the same frames make the
// same change when a state arrives, and the first one to ask works it
// out while the others wait for it. It keeps the last few only.
type changes struct {
	mu    sync.Mutex
	m     map[changeKey]*change
	order []changeKey // oldest first
}

type changeKey struct {
	from, to string
	w, h     int
}

type change struct {
	done chan struct{}
	b    []byte
}

// keptChanges bounds the cache: a new state makes one change for every
// session showing the group's frames, and a few more for sessions in a
// view of their own.
const keptChanges = 16

func newChanges() *changes { return &changes{m: map[changeKey]*change{}} }

func (c *changes) get(from, to string, w, h int) []byte {
	k := changeKey{from, to, w, h}
	c.mu.Lock()
	if ch, ok := c.m[k]; ok {
		c.mu.Unlock()
		<-ch.done
		if ch.b != nil {
			return ch.b
		}
		return redraw(from, to, w, h) // its maker panicked
	}
	ch := &change{done: make(chan struct{})}
	c.m[k] = ch
	c.order = append(c.order, k)
	if len(c.order) > keptChanges {
		delete(c.m, c.order[0])
		c.order = slices.Delete(c.order, 0, 1)
	}
	c.mu.Unlock()
	defer close(ch.done)
	ch.b = redraw(from, to, w, h)
	return ch.b
}

// scratch holds the buffers redraw builds its bytes in.
var scratch = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// redraw is what turns the screen showing from (nothing on it for "")
// into to, w×h: each line of to that differs from the same line of from,
// cut to w columns and erased to its end when shorter; below a frame
// shorter than the last one, the screen is erased. A frame taller than
// the screen loses its first lines, as with Bubble Tea's renderer.
func redraw(from, to string, w, h int) []byte {
	b := scratch.Get().(*bytes.Buffer)
	defer scratch.Put(b)
	b.Reset()
	if from == "" {
		b.WriteString(ansi.EraseEntireScreen) // a new size: nothing on the screen is known
	}
	from, fromLines := lastLines(from, h)
	to, toLines := lastLines(to, h)
	for row := 1; row <= toLines; row++ {
		var line, old string
		line, to, _ = strings.Cut(to, "\n")
		had := row <= fromLines
		if had {
			old, from, _ = strings.Cut(from, "\n")
		}
		if had && old == line {
			continue
		}
		b.WriteString("\x1b[")
		b.WriteString(strconv.Itoa(row))
		b.WriteString("H")
		width := ansi.StringWidth(line)
		if width > w {
			line, width = ansi.Truncate(line, w, ""), w
		}
		b.WriteString(line)
		if width < w {
			b.WriteString(ansi.EraseLineRight)
		}
	}
	if fromLines > toLines {
		b.WriteString("\x1b[")
		b.WriteString(strconv.Itoa(toLines + 1))
		b.WriteString("H")
		b.WriteString(ansi.EraseScreenBelow)
	}
	return bytes.Clone(b.Bytes())
}

// lastLines is frame without the lines above the last h, and how many
// lines that leaves (none for "").
func lastLines(frame string, h int) (string, int) {
	if frame == "" {
		return "", 0
	}
	n := strings.Count(frame, "\n") + 1
	for ; n > h; n-- {
		_, frame, _ = strings.Cut(frame, "\n")
	}
	return frame, n
}
