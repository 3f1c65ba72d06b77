package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/sim"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
	"github.com/cxtop/cxtop/tui"
)

// syncBuffer collects what a goroutine writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func (b *syncBuffer) Printf(format string, args ...any) { fmt.Fprintf(b, format+"\n", args...) }

// waitFor polls until s() contains want: a generous deadline to wait, not
// a timing assertion.
func waitFor(t *testing.T, what string, s func() string, want string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got := s()
		if strings.Contains(got, want) {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never showed %q; it has:\n%q", what, want, got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// testStore is a writable store of two simulated days: writable, so a
// refused escalation proves the gate refused it, not the file.
func testStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "cx.db"), store.Options{Create: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	end := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	err = sim.Generate(sim.Options{Seed: 3, End: end, Days: 2, Taxonomy: model.DefaultTaxonomy()}, func(b []model.Record) error {
		_, err := st.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

type testServer struct {
	*Server
	addr string
	log  *syncBuffer
	stop func() error // ends Serve and returns its error
}

func startServer(t *testing.T, st *store.Store, edit func(*Options)) *testServer {
	t.Helper()
	log := &syncBuffer{}
	// A writable engine that runs no rules: the store changes only if a
	// session gets through the gate.
	eng := engine.New(st, engine.Options{NoRules: true})
	eng.Start(context.Background())
	t.Cleanup(func() { eng.Close() })
	opt := Options{Engine: eng, Config: tui.DefaultConfig(), Listen: "127.0.0.1:0",
		HostKeyPath: filepath.Join(t.TempDir(), "host_key"), MaxSessions: 4, Logf: log.Printf}
	if edit != nil {
		edit(&opt)
	}
	srv, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	addr, err := srv.Listen()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	var once sync.Once
	var serveErr error
	stop := func() error {
		once.Do(func() { cancel(); serveErr = <-done })
		return serveErr
	}
	t.Cleanup(func() { stop() })
	return &testServer{Server: srv, addr: addr.String(), log: log, stop: stop}
}

func clientKey(t *testing.T) gossh.Signer {
	t.Helper()
	k, err := loadHostKey(filepath.Join(t.TempDir(), "id_ed25519"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func authorizedLine(k gossh.PublicKey) string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k)))
}

// client is a scripted SSH client: it never answers the terminal's
// queries, as a script or a dumb terminal would not.
type client struct {
	conn        *gossh.Client
	sess        *gossh.Session
	stdin       io.WriteCloser
	out, errOut *syncBuffer
	done        chan error
}

func dial(s *testServer, key gossh.Signer) (*gossh.Client, error) {
	return gossh.Dial("tcp", s.addr, &gossh.ClientConfig{
		User: "watcher", Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.FixedHostKey(s.signer.PublicKey()), Timeout: 10 * time.Second,
	})
}

func open(t *testing.T, s *testServer, key gossh.Signer, pty bool) *client {
	t.Helper()
	conn, err := dial(s, key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	c := &client{conn: conn, sess: sess, out: &syncBuffer{}, errOut: &syncBuffer{}, done: make(chan error, 1)}
	sess.Stdout, sess.Stderr = c.out, c.errOut
	if c.stdin, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if pty {
		if err := sess.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { c.done <- sess.Wait() }()
	return c
}

func (c *client) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-c.done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("the session never ended")
		return nil
	}
}

func exitStatus(err error) int {
	var ee *gossh.ExitError
	if errors.As(err, &ee) {
		return ee.ExitStatus()
	}
	if err != nil {
		return -1
	}
	return 0
}

func TestSilentClientGetsAReadOnlyDashboard(t *testing.T) {
	st := testStore(t)
	s := startServer(t, st, nil)
	c := open(t, s, clientKey(t), true)
	waitFor(t, "the session", c.out.String, "Queue: ")
	if !strings.Contains(c.out.String(), "\x1b]11;?") {
		t.Fatal("the session never asked the terminal for its background; this test needs a client that ignores that question")
	}
	waitFor(t, "the session", c.out.String, "KPIs, each over its window")
	if err := c.sess.WindowChange(24, 80); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the session after a resize to 80 columns", c.out.String, "[1 queue] 2 3")

	io.WriteString(c.stdin, "e")
	waitFor(t, "the session", c.out.String, "read-only: triage needs a lead session")
	if n, err := st.OutboxLen(); err != nil || n != 0 {
		t.Fatalf("after e in an SSH session the outbox holds %d actions (%v), want 0", n, err)
	}
	io.WriteString(c.stdin, "q")
	if err := c.wait(t); err != nil {
		t.Fatalf("q ended the session with %v, want exit 0", err)
	}
	waitFor(t, "the log", s.log.String, `session end user="watcher" addr=127.0.0.1:`)
	if !strings.Contains(s.log.String(), `session start user="watcher" addr=127.0.0.1:`) {
		t.Fatalf("no session start line in the log:\n%s", s.log.String())
	}
}

// TestSessionActsAsTheSSHUser: a session's actions are recorded as the
// SSH user's name, as a person, with no prefix; a name is made printable
// and bounded like every name in a ticket's history.
func TestSessionActsAsTheSSHUser(t *testing.T) {
	s := startServer(t, testStore(t), nil)
	c := open(t, s, clientKey(t), true)
	waitFor(t, "the session", c.out.String, "Queue: ")
	var actors []string
	s.mu.Lock()
	for _, r := range s.programs {
		actors = append(actors, r.model.Actor())
	}
	s.mu.Unlock()
	if len(actors) != 1 || actors[0] != "watcher" {
		t.Fatalf("the session acts as %q, want the SSH user \"watcher\"", actors)
	}
	for _, tc := range []struct{ user, want string }{
		{"lan", "lan"},
		{"nguyen.thi.lan", "nguyen.thi.lan"},
		{"  ", "anonymous"},
		{"", "anonymous"},
		{"evil\x1b[2Jname", "evilname"},
		{strings.Repeat("ư", 150), strings.Repeat("ư", 100)},
	} {
		if got := sessionActor(tc.user); got != tc.want {
			t.Errorf("sessionActor(%q) = %q, want %q", tc.user, got, tc.want)
		}
	}
}

func TestSessionWithoutPtyGetsOneLine(t *testing.T) {
	s := startServer(t, testStore(t), nil)
	c := open(t, s, clientKey(t), false)
	if code := exitStatus(c.wait(t)); code != 1 {
		t.Fatalf("a session without a pty exited %d, want 1", code)
	}
	if got := c.errOut.String(); got != "cxtop serve needs a terminal: ssh -t\n" {
		t.Fatalf("stderr %q", got)
	}
	if strings.Contains(c.out.String(), "Queue") {
		t.Fatal("a session without a pty got the console")
	}
}

func TestMaxSessionsRefusesPolitely(t *testing.T) {
	s := startServer(t, testStore(t), func(o *Options) { o.MaxSessions = 1 })
	key := clientKey(t)
	first := open(t, s, key, true)
	waitFor(t, "the first session", first.out.String, "Queue: ")

	// The second session channel is refused before it is accepted (so
	// before it can hold a pty), with the reason.
	conn, err := dial(s, key)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.NewSession(); err == nil || !strings.Contains(err.Error(), "cxtop serve is full (1 sessions): try again later") {
		t.Fatalf("a session past --max-sessions: %v", err)
	}
	io.WriteString(first.stdin, "q")
	first.wait(t)
	waitFor(t, "the log", s.log.String, "session end")
	// The first session's channel is released once its close is
	// acknowledged: a new one gets in then.
	deadline := time.Now().Add(30 * time.Second)
	for {
		sess, err := conn.NewSession()
		if err == nil {
			sess.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no session after the first ended: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestAuthorizedKeysAdmitOnlyListedKeys(t *testing.T) {
	listed, other := clientKey(t), clientKey(t)
	file := filepath.Join(t.TempDir(), "authorized_keys")
	if err := writeFile(file, authorizedLine(listed.PublicKey())+"\n"); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, testStore(t), func(o *Options) { o.AuthorizedKeysPath = file })
	if !strings.Contains(s.Auth(), "1 keys from "+file) {
		t.Fatalf("Auth() = %q", s.Auth())
	}
	if conn, err := dial(s, other); err == nil {
		conn.Close()
		t.Fatal("a key not in --authorized-keys logged in")
	} else if !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("refused with %v, want an authentication failure", err)
	}
	c := open(t, s, listed, true)
	waitFor(t, "the listed key's session", c.out.String, "Queue: ")
}

func TestShutdownEndsOpenSessions(t *testing.T) {
	s := startServer(t, testStore(t), nil)
	key := clientKey(t)
	a, b := open(t, s, key, true), open(t, s, key, true)
	waitFor(t, "session a", a.out.String, "Queue: ")
	waitFor(t, "session b", b.out.String, "Queue: ")
	if err := s.stop(); err != nil {
		t.Fatalf("Serve returned %v after its context ended, want nil", err)
	}
	for _, c := range []*client{a, b} {
		c.wait(t)
		if !strings.Contains(c.errOut.String(), "cxtop serve is shutting down: goodbye") {
			t.Fatalf("a session at shutdown got stderr %q", c.errOut.String())
		}
	}
	if n := strings.Count(s.log.String(), "session end"); n != 2 {
		t.Fatalf("%d session end lines at shutdown, want 2:\n%s", n, s.log.String())
	}
	if _, err := dial(s, key); err == nil {
		t.Fatal("the server still accepts connections after shutdown")
	}
}

// A watcher whose network goes away ends its session on the server; the
// ssh library closes the pty under the running program then.
func TestDroppedConnectionEndsTheSession(t *testing.T) {
	s := startServer(t, testStore(t), func(o *Options) { o.MaxSessions = 1 })
	key := clientKey(t)
	c := open(t, s, key, true)
	waitFor(t, "the session", c.out.String, "Queue: ")
	c.conn.Close()
	waitFor(t, "the log", s.log.String, "session end")
	again := open(t, s, key, true) // the one place is free again
	waitFor(t, "the next session", again.out.String, "Queue: ")
}
