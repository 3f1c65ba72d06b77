//go:build unix

package serve

import (
	"os"
	"sync"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish/bubbletea"
	"github.com/charmbracelet/x/term"
	"golang.org/x/sys/unix"
)

// sizeEvery is how often a session's pty size is looked at.
const sizeEvery = 250 * time.Millisecond

// sessionTerminal is the program's own descriptor of the session's pty.
// The ssh library closes the pty the moment a client drops the
// connection, while the program's input reader may still be using the
// descriptor (a data race, and a closed fd number can be reused). On a
// duplicate the reader just gets EIO once the pty's master is gone, and
// the program ends; close runs once it has.
type sessionTerminal struct {
	f    *os.File
	stop chan struct{}
	wg   sync.WaitGroup
}

func terminal(sess ssh.Session) ([]tea.ProgramOption, *sessionTerminal) {
	pty, _, ok := sess.Pty()
	if !ok || pty.Slave == nil {
		return bubbletea.MakeOptions(sess), nil
	}
	f, err := dup(pty.Slave)
	if err != nil {
		return bubbletea.MakeOptions(sess), nil
	}
	clampWindow(f)
	// Frames go to the channel itself, not through the pty: the pty's
	// round trip (a write, the library's read of the master and its copy
	// to the channel) doubled the cost of every frame sent. The pty stays
	// the program's input and the window's size (follow tells the program
	// the size, as it cannot read it from its output).
	return []tea.ProgramOption{tea.WithInput(f), tea.WithOutput(sess)}, &sessionTerminal{f: f, stop: make(chan struct{})}
}

// follow tells p the pty's size, at once and whenever it changes. The ssh
// library resizes the pty on the client's window-change request, and the
// same request is all wish's middleware would pass on, but they read one
// channel and the library wins; no SIGWINCH reaches a server. So the size
// is polled.
func (t *sessionTerminal) follow(p *tea.Program) {
	if t == nil {
		return
	}
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		w, h := -1, -1 // the first size is sent at once
		tick := time.NewTicker(sizeEvery)
		defer tick.Stop()
		for first := true; ; first = false {
			if !first {
				select {
				case <-t.stop:
					return
				case <-tick.C:
				}
			}
			nw, nh, err := term.GetSize(t.f.Fd())
			if err != nil || nw == w && nh == h {
				continue
			}
			w, h = nw, nh
			// Send returns once the program has ended, so this never
			// outlives it for long. A window past the bounds is cut down:
			// a session's frame grows with its window.
			p.Send(tea.WindowSizeMsg{Width: min(w, MaxWindowWidth), Height: min(h, MaxWindowHeight)})
		}
	}()
}

// close runs once the program has ended: the size watcher stops before
// the descriptor it reads goes.
func (t *sessionTerminal) close() {
	if t == nil {
		return
	}
	close(t.stop)
	t.wg.Wait()
	t.f.Close()
}

func dup(f *os.File) (*os.File, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	fd, derr := -1, error(nil)
	// Control holds the file open while it runs: no race with its Close.
	if err := rc.Control(func(h uintptr) {
		syscall.ForkLock.RLock()
		defer syscall.ForkLock.RUnlock()
		if fd, derr = syscall.Dup(int(h)); derr == nil {
			syscall.CloseOnExec(fd)
		}
	}); err != nil {
		return nil, err
	}
	if derr != nil {
		return nil, derr
	}
	return os.NewFile(uintptr(fd), f.Name()), nil
}

// clampWindow cuts the pty's window down to the bounds before the program
// reads it at start: a resize may have come after the (checked) pty request.
func clampWindow(f *os.File) {
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil || int(ws.Col) <= MaxWindowWidth && int(ws.Row) <= MaxWindowHeight {
		return
	}
	ws.Col, ws.Row = uint16(min(int(ws.Col), MaxWindowWidth)), uint16(min(int(ws.Row), MaxWindowHeight))
	unix.IoctlSetWinsize(int(f.Fd()), unix.TIOCSWINSZ, ws)
}
