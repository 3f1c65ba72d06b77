package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// hostileClient logs in from a loopback address of its own with a key of
// its own (serve admits any key here, as it does by default on loopback).
func hostileClient(t *testing.T, port, from string) (*gossh.Client, error) {
	t.Helper()
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := gossh.NewSignerFromKey(priv)
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 10 * time.Second}
	c, err := d.Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		return nil, err
	}
	sc, chans, reqs, err := gossh.NewClientConn(c, "127.0.0.1:"+port, &gossh.ClientConfig{User: "hostile",
		Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)}, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second})
	if err != nil {
		c.Close()
		return nil, err
	}
	return gossh.NewClient(sc, chans, reqs), nil
}

// rssMiB is the server's resident memory.
func rssMiB(t *testing.T, pid int) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.Atoi(f[1])
			return kb / 1024
		}
	}
	return 0
}

// TestServeUnderHostileClients: while clients flood ptys, ask for huge
// windows and hold silent connections, a real ssh still gets in and works,
// the server's memory stays bounded and every hostile channel past the
// bounds is refused.
func TestServeUnderHostileClients(t *testing.T) {
	needSSH(t)
	dir := t.TempDir()
	db := simulated(t, dir)
	srv := startServe(t, db, "--host-key", filepath.Join(dir, "hk"), "--max-sessions", "32")
	var held []interface{ Close() error }
	var mu sync.Mutex
	hold := func(c interface{ Close() error }) { mu.Lock(); held = append(held, c); mu.Unlock() }
	t.Cleanup(func() {
		for _, c := range held {
			c.Close()
		}
	})

	// Silent connections: 8 per address (the per-address bound) from five
	// addresses; each is closed by the server after the login timeout.
	for a := 0; a < 5; a++ {
		for i := 0; i < 8; i++ {
			d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(fmt.Sprintf("127.0.0.%d", 30+a))}}
			if c, err := d.Dial("tcp", "127.0.0.1:"+srv.port); err == nil {
				hold(c)
			}
		}
	}
	// Pty floods: each connection asks for 50 sessions with a pty; two are
	// granted per connection, the rest refused before they hold a pty.
	refused, granted := 0, 0
	for i := 0; i < 3; i++ {
		cl, err := hostileClient(t, srv.port, fmt.Sprintf("127.0.0.%d", 40+i))
		if err != nil {
			t.Fatalf("hostile client %d: %v", i, err)
		}
		hold(cl)
		for j := 0; j < 50; j++ {
			sess, err := cl.NewSession()
			if err != nil {
				refused++
				continue
			}
			if sess.RequestPty("xterm", 40, 120, nil) == nil && sess.Shell() == nil {
				granted++
			}
		}
	}
	if granted != 6 || refused != 144 {
		t.Fatalf("pty flood: %d sessions granted, %d refused; want 6 and 144", granted, refused)
	}
	// Huge windows: the pty request is refused; a normal one then grows
	// to 8000x8000 and the console draws at most 1000x500.
	for i := 0; i < 2; i++ {
		cl, err := hostileClient(t, srv.port, fmt.Sprintf("127.0.0.%d", 50+i))
		if err != nil {
			t.Fatal(err)
		}
		hold(cl)
		sess, err := cl.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if err := sess.RequestPty("xterm", 8000, 8000, nil); err == nil {
			t.Fatal("an 8000x8000 pty was granted")
		}
		if err := sess.RequestPty("xterm", 40, 120, nil); err != nil {
			t.Fatal(err)
		}
		if err := sess.Shell(); err != nil {
			t.Fatal(err)
		}
		sess.WindowChange(8000, 8000)
	}

	// A legitimate ssh, in a real terminal, gets the console and works.
	key := sshKey(t, dir, "watcher")
	s := sshInTmux(t, srv.port, key)
	s.waitFor("Queue: ")
	// and sees customers masked (viewers are, by default)
	s.keys("Enter")
	if scr := s.waitFor("cust-"); regexp.MustCompile(`\bC\d{6}\b`).MatchString(scr) {
		t.Fatalf("an SSH viewer sees a real customer id:\n%s", scr)
	}
	s.keys("Escape")
	// Wait for the queue before q: an escape and a q that arrive together
	// read as alt+q.
	s.waitFor("Queue: ")
	s.keys("q")
	s.waitFor("ssh exited 0")
	if mib := rssMiB(t, srv.cmd.Process.Pid); mib > 400 {
		t.Fatalf("the server holds %d MiB under hostile clients", mib)
	}
	if !strings.Contains(srv.log.String(), "channel refused") {
		t.Fatalf("the log does not show the refused channels:\n%s", srv.log.String())
	}
}
