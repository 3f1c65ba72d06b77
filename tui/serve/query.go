package serve

import (
	"image/color"
	"sync"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/input"
	"github.com/lucasb-eyer/go-colorful"
)

// backgroundQuery asks the client's terminal for its background colour
// once, on the session's input, before the program reads that input.
// themeFor may stop waiting for the answer before the query has given
// up; finish then waits for it (never longer than its own timeout), so
// the query's reader never takes a key meant for the program.
type backgroundQuery struct {
	t       *sessionTerminal
	timeout time.Duration
	mu      sync.Mutex
	done    bool
}

// dark asks, and reports whether the answer is a dark colour (true when
// the terminal does not answer in time, or after finish).
func (q *backgroundQuery) dark() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.done || q.t.in == nil {
		return true // nothing to read an answer from that could be cancelled
	}
	bg := queryBackground(q.t, q.timeout)
	if bg == nil {
		return true
	}
	c, ok := colorful.MakeColor(bg)
	if !ok {
		return true
	}
	_, _, l := c.Hsl()
	return l < 0.5
}

// finish lets the program have the input: no query starts after it, and
// one under way has ended when it returns.
func (q *backgroundQuery) finish() {
	q.mu.Lock()
	q.done = true
	q.mu.Unlock()
}

// queryBackground writes the background-colour request (and the primary
// device attributes request, which every terminal answers, as the end of
// the answer) to the channel and reads the answer from the session's
// input, giving up after timeout.
func queryBackground(t *sessionTerminal, timeout time.Duration) (bg color.Color) {
	rd, err := input.NewReader(t.in, "", 0)
	if err != nil {
		return nil
	}
	defer rd.Close()
	stop := time.AfterFunc(timeout, func() { rd.Cancel() })
	defer stop.Stop()
	if _, err := t.sess.Write([]byte(ansi.RequestBackgroundColor + ansi.RequestPrimaryDeviceAttributes)); err != nil {
		return nil
	}
	for {
		events, err := rd.ReadEvents()
		if err != nil {
			return bg
		}
		for _, e := range events {
			switch e := e.(type) {
			case input.BackgroundColorEvent:
				bg = e.Color
			case input.PrimaryDeviceAttributesEvent:
				return bg
			}
		}
	}
}
