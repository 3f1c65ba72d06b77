package control

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// Handler runs one command line for a peer and returns its exit status.
// It writes the command's output to stdout and stderr as it goes; ctx
// ends when the client disconnects or the server closes.
type Handler func(ctx context.Context, peer Peer, req Request, stdout, stderr io.Writer) int

// DefaultMaxConns bounds the commands a server runs at once.
const DefaultMaxConns = 16

// handshakeTimeout bounds the hello and the request: a client that
// connects and says nothing does not hold a connection slot for long.
const handshakeTimeout = 10 * time.Second

// Options configure a Server.
type Options struct {
	Store    string // the held store's absolute path, sent in the welcome
	Version  string // this cxtop's version, sent in the welcome
	MaxConns int    // default DefaultMaxConns
	Handler  Handler
	Logf     func(format string, args ...any) // refused peers and failures; default none

	testUID int // tests: admit this uid instead of os.Getuid()
}

// Server is a listening control socket.
type Server struct {
	path   string
	opt    Options
	ln     *net.UnixListener
	ctx    context.Context
	cancel context.CancelFunc
	slots  chan struct{}

	mu    sync.Mutex
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

// Listen opens the control socket at path and serves it until Close. The
// caller must hold the store for writing: that is what makes any socket
// already at path a stale one, which Listen replaces.
func Listen(path string, opt Options) (*Server, error) {
	if opt.MaxConns <= 0 {
		opt.MaxConns = DefaultMaxConns
	}
	if opt.Logf == nil {
		opt.Logf = func(string, ...any) {}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("control socket directory: %w", err)
	}
	if _, err := os.Lstat(path); err == nil {
		if !isSocket(path) {
			return nil, fmt.Errorf("control socket %s: a file that is not a socket is in the way: move it", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("remove stale control socket %s: %w", path, err)
		}
	}
	ln, err := listenPrivate(path)
	if err != nil {
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	// Owner only, whatever the umask did; the peer check below holds
	// even if the mode is loosened later.
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{path: path, opt: opt, ln: ln, ctx: ctx, cancel: cancel,
		slots: make(chan struct{}, opt.MaxConns), conns: map[net.Conn]struct{}{}}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// umaskMu serialises the umask change of listenPrivate within the
// process (two holders of two stores, as in the demo).
var umaskMu sync.Mutex

// listenPrivate binds the socket under a umask that leaves it 0600 from
// the moment it exists. The umask is the process's: callers open their
// socket at start-up, before their goroutines create files, and a file
// created in that instant would only come out more private.
func listenPrivate(path string) (*net.UnixListener, error) {
	umaskMu.Lock()
	defer umaskMu.Unlock()
	old := unix.Umask(0o177)
	defer unix.Umask(old)
	return net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
}

// Path is where the socket listens.
func (s *Server) Path() string { return s.path }

// Close stops accepting, removes the socket file, ends the running
// commands (their clients see the connection close) and waits for them,
// so the caller may close the store afterwards.
func (s *Server) Close() error {
	s.cancel()
	err := s.ln.Close() // unlinks the socket file
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return err
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.AcceptUnix()
		if err != nil {
			if s.ctx.Err() == nil {
				s.opt.Logf("control socket: accept: %v", err)
			}
			return
		}
		s.mu.Lock()
		s.conns[c] = struct{}{}
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() {
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
				c.Close()
			}()
			select {
			case s.slots <- struct{}{}:
				defer func() { <-s.slots }()
				s.serve(c)
			default:
				refuse(c, fmt.Sprintf("busy: %d commands are already running against this store: try again when one ends", s.opt.MaxConns))
			}
		}()
	}
}

// refuse sends a one-line reason; the caller closes the connection.
func refuse(c net.Conn, reason string) {
	c.SetWriteDeadline(time.Now().Add(handshakeTimeout))
	c.Write(appendFrame(nil, frameRefuse, []byte(reason)))
}

func (s *Server) serve(c *net.UnixConn) {
	cred, err := peerCred(c)
	if err != nil {
		refuse(c, "refused: cannot read the peer's credentials")
		s.opt.Logf("control socket: peer credentials: %v", err)
		return
	}
	uid := os.Getuid()
	if s.opt.testUID != 0 {
		uid = s.opt.testUID
	}
	peer, err := checkPeer(cred, uid)
	if err != nil {
		refuse(c, err.Error())
		s.opt.Logf("control socket: %v (pid %d)", err, cred.Pid)
		return
	}
	c.SetDeadline(time.Now().Add(handshakeTimeout))
	req, err := s.handshake(c)
	if err != nil {
		var r *Refused
		if errors.As(err, &r) {
			refuse(c, r.Reason)
		} else {
			refuse(c, "refused: "+err.Error())
		}
		s.opt.Logf("control socket: pid %d: %v", cred.Pid, err)
		return
	}
	c.SetDeadline(time.Time{})

	// The client sends nothing after its request: a read that returns
	// means it went away, and its command is cancelled.
	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	go func() {
		var b [1]byte
		c.Read(b[:])
		cancel()
	}()
	fw := newFrameWriter(c)
	code := s.opt.Handler(ctx, peer, req, stream{fw, frameStdout, false}, stream{fw, frameStderr, true})
	fw.send(frameExit, exitPayload(code), true)
}

// handshake reads the hello and the request, answering the hello with a
// welcome or refusing a version it does not speak.
func (s *Server) handshake(c net.Conn) (Request, error) {
	f, err := readFrame(c)
	if err != nil {
		return Request{}, err
	}
	var h hello
	if f.typ != frameHello {
		return Request{}, fmt.Errorf("%w: expected a hello, got type %q", ErrFrame, f.typ)
	}
	if err := decodeJSON(f.payload, &h, "hello"); err != nil {
		return Request{}, err
	}
	if h.Protocol != Protocol {
		return Request{}, &Refused{mismatch(Protocol, h.Protocol, h.Cxtop)}
	}
	w, _ := json.Marshal(Welcome{Protocol: Protocol, Cxtop: s.opt.Version, Store: s.opt.Store, PID: os.Getpid()})
	if _, err := c.Write(appendFrame(nil, frameWelcome, w)); err != nil {
		return Request{}, err
	}
	if f, err = readFrame(c); err != nil {
		return Request{}, err
	}
	if f.typ != frameRequest {
		return Request{}, fmt.Errorf("%w: expected a request, got type %q", ErrFrame, f.typ)
	}
	var req Request
	if err := decodeJSON(f.payload, &req, "request"); err != nil {
		return Request{}, err
	}
	return req, req.validate()
}
