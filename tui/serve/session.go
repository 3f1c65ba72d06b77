package serve

import (
	"fmt"
	"strings"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish/bubbletea"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store/engine"
	"github.com/cxtop/cxtop/tui"
)

type programKey struct{}

// running is what a session's program holds until it ends.
type running struct {
	model *tui.Model
	term  *sessionTerminal
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
func needTerminal(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if _, _, ok := sess.Pty(); !ok {
			fmt.Fprint(sess.Stderr(), "cxtop serve needs a terminal: ssh -t\n")
			sess.Exit(1)
			return
		}
		next(sess)
	}
}

// program builds the session's console: its own renderer (the client's
// colour profile) and theme, the shared engine, and the viewer role.
func (s *Server) program(sess ssh.Session) *tea.Program {
	r := bubbletea.MakeRenderer(sess)
	name := themeFor(s.opt.Theme, sess.Environ(), r.HasDarkBackground, themeWait)
	m, err := tui.New(tui.Options{
		Engine: s.opt.Engine, Config: s.opt.Config, Role: engine.RoleViewer, Theme: name,
		User: sessionActor(sess.User()), Renderer: r, Now: s.opt.Now, Window: s.opt.Window,
		Mask: s.opt.Mask, Shared: s.shared,
	})
	if err != nil {
		fmt.Fprintf(sess.Stderr(), "cxtop serve: %v\r\n", err)
		sess.Exit(1)
		return nil
	}
	opts, term := terminal(sess)
	opts = append(opts, tea.WithAltScreen(), tea.WithFPS(20),
		// The server owns the signals; one SIGTERM must not reach every
		// session's program on its own.
		tea.WithoutSignalHandler())
	p := tea.NewProgram(m, opts...)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		m.Close()
		term.close()
		fmt.Fprint(sess.Stderr(), "cxtop serve is shutting down: try again in a moment\r\n")
		sess.Exit(1)
		return nil
	}
	s.programs[p] = &running{model: m, term: term}
	sess.Context().SetValue(programKey{}, p)
	term.follow(p)
	return p
}

// release runs once the session's program has ended: the model's
// subscription to the engine must go with it.
func (s *Server) release(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if p, ok := sess.Context().Value(programKey{}).(*tea.Program); ok {
			s.mu.Lock()
			r := s.programs[p]
			delete(s.programs, p)
			s.mu.Unlock()
			if r != nil {
				r.model.Close()
				r.term.close()
			}
		}
		next(sess)
	}
}
