package serve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	gossh "golang.org/x/crypto/ssh"

	"github.com/cxtop/cxtop/tui"
)

// shutdownGrace is how long sessions get to quit their programs on
// shutdown before their connections are closed under them.
const shutdownGrace = 5 * time.Second

// Server serves the console over SSH to many viewers at once.
type Server struct {
	opt    Options
	signer gossh.Signer
	keys   int // keys in AuthorizedKeysPath at start; 0: any key
	ssh    *ssh.Server
	ln     net.Listener
	guard  *guard
	// shared: every session reads one engine, configuration and masker,
	// so sessions that show a pane alike draw it once (tui.Shared).
	shared *tui.Shared
	// changes: the sessions' screens work out each change of frame once.
	changes *changes

	mu       sync.Mutex
	closing  bool
	sessions int
	programs map[*tea.Program]*running
	running  sync.WaitGroup // admitted sessions
	terms    sync.Map       // ssh.Session → *sessionTerminal, while its channel is open
}

// New checks the options and loads (or creates) the host key; it does not
// listen yet.
func New(opt Options) (*Server, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	if opt.Engine == nil {
		return nil, errors.New("serve: no engine")
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logf == nil {
		opt.Logf = func(string, ...any) {}
	}
	if opt.LoginTimeout == 0 {
		opt.LoginTimeout = DefaultLoginTimeout
	}
	s := &Server{opt: opt, programs: map[*tea.Program]*running{}, guard: newGuard(opt.Now, opt.Logf, opt.LoginTimeout),
		shared: tui.NewShared(), changes: newChanges()}
	var err error
	if s.signer, err = loadHostKey(opt.HostKeyPath); err != nil {
		return nil, err
	}
	if opt.AuthorizedKeysPath != "" {
		keys, err := loadAuthorizedKeys(opt.AuthorizedKeysPath)
		if err != nil {
			return nil, err
		}
		s.keys = len(keys)
	}
	s.ssh, err = wish.NewServer(
		func(srv *ssh.Server) error {
			srv.AddHostKey(s.signer)
			// Limits before login: every connection is counted and timed
			// from accept; every session channel (and so every pty) is
			// counted before the library accepts it; a pty request for a
			// key that may not have one, or for an absurd window, fails.
			srv.ConnCallback = s.guard.accept
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": s.sessionChannel}
			srv.PtyCallback = s.ptyAllowed
			return nil
		},
		wish.WithPublicKeyAuth(s.publicKey),
		// A terminal of the server's own (terminal.go): the library's pty
		// kept two 32 KB copy buffers a session.
		func(srv *ssh.Server) error { srv.PtyHandler = s.openTerminal; return nil },
		wish.WithIdleTimeout(opt.IdleTimeout),
		// The last middleware runs first: admit, then needTerminal, then
		// the program until it ends.
		wish.WithMiddleware(
			s.run,
			s.needTerminal,
			s.admit,
		),
	)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	return s, nil
}

// Fingerprint is the host key's SHA256 fingerprint, as ssh shows it.
func (s *Server) Fingerprint() string { return fingerprint(s.signer.PublicKey()) }

// Auth says in a few words who may log in.
func (s *Server) Auth() string {
	if s.keys == 0 {
		return "any public key may watch (sessions are read-only; restrict with --authorized-keys)"
	}
	return fmt.Sprintf("%d keys from %s may watch (read-only)", s.keys, s.opt.AuthorizedKeysPath)
}

// Listen opens the listening socket and returns its address (the real
// port when the option asked for port 0).
func (s *Server) Listen() (net.Addr, error) {
	ln, err := net.Listen("tcp", s.opt.Listen)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", s.opt.Listen, err)
	}
	s.ln = ln
	return ln.Addr(), nil
}

// Serve accepts sessions until ctx ends, then shuts down: no new sessions,
// every program quits (restoring its terminal), connections close. The
// caller closes the store afterwards.
func (s *Server) Serve(ctx context.Context) error {
	if s.ln == nil {
		if _, err := s.Listen(); err != nil {
			return err
		}
	}
	errc := make(chan error, 1)
	go func() { errc <- s.ssh.Serve(s.ln) }()
	select {
	case err := <-errc:
		s.ssh.Close()
		return fmt.Errorf("serve ssh on %s: %w", s.ln.Addr(), err)
	case <-ctx.Done():
	}
	s.shutdown()
	<-errc
	return nil
}

func (s *Server) shutdown() {
	s.mu.Lock()
	s.closing = true
	progs := make([]*tea.Program, 0, len(s.programs))
	for p := range s.programs {
		progs = append(progs, p)
	}
	s.mu.Unlock()
	s.ln.Close() // no new connections while the sessions wind down
	for _, p := range progs {
		// Quit waits for the program's loop to take it: never under mu.
		go p.Quit()
	}
	if !s.waitSessions(shutdownGrace) {
		s.opt.Logf("serve: sessions still open after %s: closing their connections", shutdownGrace)
	}
	// Closing the connections ends any program that did not quit: its
	// terminal goes away under it.
	s.ssh.Close()
	s.waitSessions(shutdownGrace)
}

// waitSessions waits up to d for every admitted session to end.
func (s *Server) waitSessions(d time.Duration) bool {
	done := make(chan struct{})
	go func() { s.running.Wait(); close(done) }()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-done:
		return true
	case <-timer.C:
		return false
	}
}

// HostKey is the server's public host key (a client's known host).
func (s *Server) HostKey() gossh.PublicKey { return s.signer.PublicKey() }
