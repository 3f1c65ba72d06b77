package serve

import (
	"io"
	"os"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/muesli/termenv"
)

// sessionTerminal is a session's terminal, the server's own. The ssh
// library's pty (ssh.AllocatePty) copied the channel to the pty and the
// pty to the channel in two goroutines with 32 KB buffers each, for as
// long as the session lived: 64 KB of heap a session for keystrokes and
// a background query, once frames went to the channel directly. Here the
// session's pty request is answered (the client gets its terminal) but
// no pty is allocated: keystrokes go from the channel through a pipe to
// the program (a file, so its reader can be cancelled when it quits, and
// the background query can time out without eating the next key), with
// a small buffer; frames go to the channel; the window comes from the
// client's window-change requests.
type sessionTerminal struct {
	sess ssh.Session
	pty  ssh.Pty
	// in is what the program reads; inW is fed from the channel by
	// copyInput. Both are nil where the platform has no pipe to poll:
	// the program then reads the channel.
	in, inW *os.File
	// gone closes when the channel has closed (the client left or the
	// session exited): the program must end.
	gone chan struct{}

	mu   sync.Mutex
	refs int // the channel's hold, and the program's while it runs
}

// inputBuffer is the copy of keystrokes' buffer: a key is a few bytes; a
// paste just takes more reads.
const inputBuffer = 512

// openTerminal is the server's PtyHandler: the client's pty request
// (already checked by ptyAllowed) gets a terminal of the server's own.
// The function it returns runs once the channel is gone.
func (s *Server) openTerminal(_ ssh.Context, sess ssh.Session, p ssh.Pty) (func() error, error) {
	t := &sessionTerminal{sess: sess, pty: p, gone: make(chan struct{}), refs: 1}
	if pipes {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		t.in, t.inW = r, w
	}
	s.terms.Store(sess, t)
	return func() error {
		s.terms.Delete(sess)
		close(t.gone)
		t.release()
		return nil
	}, nil
}

// terminalOf is the session's terminal, or nil when it asked for none.
func (s *Server) terminalOf(sess ssh.Session) *sessionTerminal {
	t, _ := s.terms.Load(sess)
	term, _ := t.(*sessionTerminal)
	return term
}

// acquire holds the terminal for the session's program; it fails once
// the channel is gone.
func (t *sessionTerminal) acquire() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.refs == 0 {
		return false
	}
	select {
	case <-t.gone:
		return false
	default:
	}
	t.refs++
	if t.inW != nil {
		go t.copyInput()
	}
	return true
}

// release drops a hold; the last one closes the pipe (the program has
// ended by then, so its reader is not using it).
func (t *sessionTerminal) release() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.refs--; t.refs > 0 || t.in == nil {
		return
	}
	t.in.Close()
	t.inW.Close()
}

// copyInput feeds the channel's bytes to the program's input until
// either side ends (the channel's end, or the pipe closed after the
// program).
func (t *sessionTerminal) copyInput() {
	buf := make([]byte, inputBuffer)
	io.CopyBuffer(onlyWriter{t.inW}, onlyReader{t.sess}, buf) //nolint:errcheck // either end closing is how it ends
	t.inW.Close()
}

// onlyReader and onlyWriter hide ReadFrom and WriteTo, so that
// io.CopyBuffer uses the small buffer it is given.
type onlyReader struct{ io.Reader }
type onlyWriter struct{ io.Writer }

// options are the program's input and output: frames go to the channel.
func (t *sessionTerminal) options() []tea.ProgramOption {
	if t.in == nil {
		return []tea.ProgramOption{tea.WithInput(t.sess), tea.WithOutput(t.sess)}
	}
	return []tea.ProgramOption{tea.WithInput(t.in), tea.WithOutput(t.sess)}
}

// renderer is the session's lipgloss renderer: the client's colour
// profile, read from its TERM and environment as wish's would be.
func (t *sessionTerminal) renderer() *lipgloss.Renderer {
	if t.pty.Term == "" || t.pty.Term == "dumb" {
		return lipgloss.NewRenderer(t.sess, termenv.WithProfile(termenv.Ascii))
	}
	env := sshEnviron(append(t.sess.Environ(), "TERM="+t.pty.Term))
	// The output is the channel, a terminal at the client's end.
	return lipgloss.NewRenderer(t.sess, termenv.WithEnvironment(env), termenv.WithTTY(true))
}

// sshEnviron is the client's environment as termenv reads one.
type sshEnviron []string

func (e sshEnviron) Environ() []string      { return e }
func (e sshEnviron) Getenv(k string) string { return getenv(e, k) }

// follow sends the program the window's size, at once and on every
// window-change request, cut to the bounds (a session's frame grows with
// its window), and quits the program once the channel is gone. It ends
// with the program (done).
func (t *sessionTerminal) follow(p *tea.Program, done <-chan struct{}) {
	_, winch, _ := t.sess.Pty()
	for {
		select {
		case <-done:
			return
		case <-t.gone:
			p.Quit()
			return
		case w, ok := <-winch:
			if !ok {
				winch = nil // closed with the channel: gone follows
				continue
			}
			p.Send(tea.WindowSizeMsg{Width: min(w.Width, MaxWindowWidth), Height: min(w.Height, MaxWindowHeight)})
		}
	}
}
