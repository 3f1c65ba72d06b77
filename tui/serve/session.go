package serve

import (
	"fmt"
	"strings"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store/engine"
	"github.com/cxtop/cxtop/tui"
)

// running is what a session's program holds until it ends.
type running struct {
	model *tui.Model
}

// admit counts the session against MaxSessions, refuses it politely past
// that or during shutdown, and logs its start and end.
func (s *Server) admit(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		who := fmt.Sprintf("user=%q addr=%s key=%s", sess.User(), sess.RemoteAddr(), fingerprint(sess.PublicKey()))
		var refusal string
		s.mu.Lock()
		switch {
		case s.closing:
			refusal = "cxtop serve is shutting down: try again in a moment"
		case s.sessions >= s.opt.MaxSessions:
			refusal = fmt.Sprintf("cxtop serve is full (%d sessions): try again later", s.opt.MaxSessions)
		default:
			s.sessions++
			s.running.Add(1)
		}
		s.mu.Unlock()
		if refusal != "" {
			s.opt.Logf("session refused %s: %s", who, refusal)
			fmt.Fprintf(sess.Stderr(), "%s\r\n", refusal)
			sess.Exit(1)
			return
		}
		start := s.opt.Now()
		s.opt.Logf("session start %s", who)
		defer func() {
			s.mu.Lock()
			s.sessions--
			closing := s.closing
			s.mu.Unlock()
			if closing {
				fmt.Fprint(sess.Stderr(), "cxtop serve is shutting down: goodbye\r\n")
			}
			s.opt.Logf("session end %s after %s", who, s.opt.Now().Sub(start).Round(1e6))
			s.running.Done()
		}()
		next(sess)
	}
}

// sessionActor is the person an SSH session's actions are recorded as:
// the SSH user's name, as the client sent it, made printable and bounded
// like every name in a ticket's history ("anonymous" when it is empty).
func sessionActor(user string) string {
	name := strings.TrimSpace(model.Sanitize(user))
	for len(name) > model.MaxKeyLen {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" {
		return "anonymous"
	}
	return name
}

// needTerminal turns away sessions without a pty before a program is
// built for them: the console draws on a terminal.
func (s *Server) needTerminal(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if s.terminalOf(sess) == nil {
			fmt.Fprint(sess.Stderr(), "cxtop serve needs a terminal: ssh -t\n")
			sess.Exit(1)
			return
		}
		next(sess)
	}
}

// run builds the session's program, runs it until it ends (the viewer
// quits, the client leaves, the server shuts down), then releases what it
// held: the model's subscription to the engine and the terminal.
func (s *Server) run(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		defer next(sess)
		t := s.terminalOf(sess)
		if t == nil || !t.acquire() {
			return // the channel closed before the program could start
		}
		defer t.release()
		p, scr := s.program(sess, t)
		if p == nil {
			return
		}
		scr.start()
		defer scr.end()
		done := make(chan struct{})
		followed := make(chan struct{})
		go func() { defer close(followed); t.follow(p, done) }()
		if _, err := p.Run(); err != nil {
			s.opt.Logf("session program ended: %v", err)
		}
		p.Kill()
		close(done)
		<-followed
		s.mu.Lock()
		r := s.programs[p]
		delete(s.programs, p)
		s.mu.Unlock()
		if r != nil {
			r.model.Close()
		}
	}
}

// program builds the session's console: its own renderer (the client's
// colour profile) and theme, the shared engine, and the viewer role.
func (s *Server) program(sess ssh.Session, t *sessionTerminal) (*tea.Program, *screen) {
	r := t.renderer()
	q := &backgroundQuery{t: t, timeout: themeWait}
	name := themeFor(s.opt.Theme, sess.Environ(), q.dark, themeWait)
	q.finish()
	// Said, so that lipgloss never asks the terminal itself (its question
	// would read the session's input).
	r.SetHasDarkBackground(name != "light")
	scr := &screen{out: sess, changes: s.changes}
	m, err := tui.New(tui.Options{
		Engine: s.opt.Engine, Config: s.opt.Config, Role: engine.RoleViewer, Theme: name,
		User: sessionActor(sess.User()), Renderer: r, Now: s.opt.Now, Window: s.opt.Window,
		Mask: s.opt.Mask, Shared: s.shared, Bell: scr.ring,
	})
	if err != nil {
		fmt.Fprintf(sess.Stderr(), "cxtop serve: %v\r\n", err)
		sess.Exit(1)
		return nil, nil
	}
	// The screen draws the frames (screen.go), and the server owns the
	// signals: one SIGTERM must not reach every session's program on its
	// own.
	opts := append(t.options(), tea.WithoutRenderer(), tea.WithoutSignalHandler())
	p := tea.NewProgram(&console{Model: m, scr: scr}, opts...)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		m.Close()
		fmt.Fprint(sess.Stderr(), "cxtop serve is shutting down: try again in a moment\r\n")
		sess.Exit(1)
		return nil, nil
	}
	s.programs[p] = &running{model: m}
	return p, scr
}
