package serve

import (
	"io"
	"strings"
	"testing"
)

// A terminal that answers the background question gets the theme of its
// background, and the keys typed afterwards all reach the console: the
// question's reader has let go of the session's input.
func TestBackgroundAnswerPicksTheThemeAndKeysStillArrive(t *testing.T) {
	s := startServer(t, testStore(t), nil)
	c := open(t, s, clientKey(t), true)
	waitFor(t, "the question", c.out.String, "\x1b]11;?")
	// A white background (OSC 11), then the device attributes that end
	// the answer, as xterm sends them.
	io.WriteString(c.stdin, "\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c")
	waitFor(t, "the session", c.out.String, "Queue: ")
	io.WriteString(c.stdin, "t") // the next theme after light
	waitFor(t, "the session after t", c.out.String, "theme high-contrast")
	io.WriteString(c.stdin, "q")
	if err := c.wait(t); err != nil {
		t.Fatalf("q ended the session with %v, want exit 0", err)
	}
}

// The window a client asks for later is cut to the bounds before the
// console sees it, as the first one is checked at the pty request.
func TestHugeWindowChangeIsCut(t *testing.T) {
	s := startServer(t, testStore(t), func(o *Options) { o.Theme = "dark" })
	c := open(t, s, clientKey(t), true)
	waitFor(t, "the session", c.out.String, "Queue: ")
	if err := c.sess.WindowChange(MaxWindowHeight*4, MaxWindowWidth*4); err != nil {
		t.Fatal(err)
	}
	// A frame of the new size (wider than half the bound) is drawn, and
	// no line of any frame is wider than the bound.
	waitFor(t, "the session after the resize", c.out.String, strings.Repeat("─", MaxWindowWidth/2))
	io.WriteString(c.stdin, "q")
	if err := c.wait(t); err != nil {
		t.Fatalf("q ended the session with %v, want exit 0", err)
	}
	if strings.Contains(c.out.String(), strings.Repeat("─", MaxWindowWidth+1)) {
		t.Fatalf("a line wider than the bound of %d columns was drawn", MaxWindowWidth)
	}
}
