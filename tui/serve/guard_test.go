package serve

import (
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// dialFrom connects from a given loopback address (127.0.0.0/8 all reach
// the server), so tests can play several clients.
func dialFrom(t *testing.T, s *testServer, local string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 10 * time.Second}
	c, err := d.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// closedWithin reads from c until the server closes it, or fails after d.
func closedWithin(t *testing.T, c net.Conn, d time.Duration) bool {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, c)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return false
	}
	return true
}

func sshClientOn(t *testing.T, s *testServer, c net.Conn, key gossh.Signer) (*gossh.Client, error) {
	t.Helper()
	sc, chans, reqs, err := gossh.NewClientConn(c, s.addr, &gossh.ClientConfig{
		User: "watcher", Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.FixedHostKey(s.signer.PublicKey()), Timeout: 10 * time.Second,
	})
	if err != nil {
		return nil, err
	}
	return gossh.NewClient(sc, chans, reqs), nil
}

// A silent connection is closed after the login timeout, not the
// 30-minute idle timeout; so is a logged-in one that opens no session.
func TestSilentConnectionsAreClosed(t *testing.T) {
	s := startServer(t, testStore(t), func(o *Options) { o.LoginTimeout = 300 * time.Millisecond; o.IdleTimeout = time.Hour })
	silent := dialFrom(t, s, "127.0.0.2")
	if !closedWithin(t, silent, 20*time.Second) {
		t.Fatal("a silent connection is still open")
	}
	cl, err := sshClientOn(t, s, dialFrom(t, s, "127.0.0.3"), clientKey(t))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cl.Wait() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("a logged-in connection without a session is still open")
	}
}

// Connections not yet in a session are limited per address: past the
// limit an address is turned away at once, and another address is not.
func TestIdleConnectionsAreLimitedPerAddress(t *testing.T) {
	s := startServer(t, testStore(t), func(o *Options) { o.LoginTimeout = time.Minute })
	for i := 0; i < MaxIdlePerAddr; i++ {
		dialFrom(t, s, "127.0.0.4")
	}
	// let the server count them
	waitFor(t, "the guard", func() string {
		s.guard.mu.Lock()
		defer s.guard.mu.Unlock()
		if s.guard.idle["127.0.0.4"] == MaxIdlePerAddr {
			return "full"
		}
		return ""
	}, "full")
	if !closedWithin(t, dialFrom(t, s, "127.0.0.4"), 10*time.Second) {
		t.Fatal("a connection past the per-address limit was held")
	}
	waitFor(t, "the log", s.log.String, "connection from 127.0.0.4 refused: too many connections not yet in a session")
	if _, err := sshClientOn(t, s, dialFrom(t, s, "127.0.0.5"), clientKey(t)); err != nil {
		t.Fatalf("another address was turned away: %v", err)
	}
}

// A connection may hold two session channels; the third is refused before
// it is accepted, so it never holds a pty.
func TestChannelsPerConnectionAreBounded(t *testing.T) {
	s := startServer(t, testStore(t), func(o *Options) { o.MaxSessions = 10 })
	conn, err := dial(s, clientKey(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for i := 0; i < MaxChannelsPerConn; i++ {
		sess, err := conn.NewSession()
		if err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
		if err := sess.RequestPty("xterm", 24, 80, nil); err != nil {
			t.Fatalf("pty %d: %v", i, err)
		}
	}
	if _, err := conn.NewSession(); err == nil || !strings.Contains(err.Error(), "2 sessions per connection") {
		t.Fatalf("a third channel: %v", err)
	}
}

func TestHugeWindowsAreRefused(t *testing.T) {
	s := startServer(t, testStore(t), nil)
	conn, err := dial(s, clientKey(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm", 8000, 8000, nil); err == nil {
		t.Fatal("an 8000x8000 pty was granted")
	}
	if err := sess.RequestPty("xterm", 40, 120, nil); err != nil {
		t.Fatalf("a normal pty after a refused one: %v", err)
	}
}

// Failed logins are limited per address: past the budget even the right
// key is turned away from that address for a while, not from others.
func TestFailedLoginsAreRateLimited(t *testing.T) {
	listed, other := clientKey(t), clientKey(t)
	file := t.TempDir() + "/authorized_keys"
	writeFile(file, authorizedLine(listed.PublicKey())+"\n")
	s := startServer(t, testStore(t), func(o *Options) { o.AuthorizedKeysPath = file })
	for i := 0; i < failBurst; i++ {
		if _, err := sshClientOn(t, s, dialFrom(t, s, "127.0.0.6"), other); err == nil {
			t.Fatal("an unlisted key got in")
		}
	}
	if _, err := sshClientOn(t, s, dialFrom(t, s, "127.0.0.6"), listed); err == nil {
		t.Fatal("an address past its failed logins got in")
	}
	if _, err := sshClientOn(t, s, dialFrom(t, s, "127.0.0.7"), listed); err != nil {
		t.Fatalf("another address was turned away: %v", err)
	}
}

func TestNoPtyKeyGetsNoConsole(t *testing.T) {
	key := clientKey(t)
	file := t.TempDir() + "/authorized_keys"
	writeFile(file, "restrict "+authorizedLine(key.PublicKey())+"\n")
	s := startServer(t, testStore(t), func(o *Options) { o.AuthorizedKeysPath = file })
	conn, err := dial(s, key)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm", 24, 80, nil); err == nil {
		t.Fatal("a restrict key got a pty")
	}
}

// A session may send a bounded number of environment variables: the rest
// are refused, and the session still works.
func TestEnvRequestsAreBounded(t *testing.T) {
	s := startServer(t, testStore(t), nil)
	conn, err := dial(s, clientKey(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	refused := 0
	for i := 0; i < MaxEnvPerSession+50; i++ {
		if err := sess.Setenv(fmt.Sprintf("V%d", i), "x"); err != nil {
			refused++
		}
	}
	if refused != 50 {
		t.Fatalf("%d env requests refused, want 50", refused)
	}
	if err := sess.RequestPty("xterm", 24, 80, nil); err != nil {
		t.Fatalf("the session after its env requests: %v", err)
	}
}
