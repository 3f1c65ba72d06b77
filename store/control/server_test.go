package control

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// listen starts a server in a fresh directory with h.
func listen(t *testing.T, opt Options) *Server {
	t.Helper()
	opt.Version = "test"
	opt.Store = "/stores/cx.db"
	s, err := Listen(filepath.Join(t.TempDir(), "cx.db.sock"), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestRunStreamsOutputAndExitStatus(t *testing.T) {
	big := bytes.Repeat([]byte("a record line\n"), 100_000) // 1.4 MB: many frames
	var got Request
	var gotPeer Peer
	s := listen(t, Options{Handler: func(_ context.Context, p Peer, req Request, stdout, stderr io.Writer) int {
		got, gotPeer = req, p
		stdout.Write(big)
		fmt.Fprintln(stderr, "a notice")
		return 3
	}})
	fi, err := os.Stat(s.Path())
	if err != nil || fi.Mode().Perm() != 0o600 || fi.Mode().Type() != os.ModeSocket {
		t.Fatalf("socket mode %v (%v), want a 0600 socket", fi.Mode(), err)
	}
	req := Request{Args: []string{"export", "--db=/stores/cx.db"}, Dir: "/home/lan", Env: map[string]string{"CXTOP_THEME": "light"}}
	var out, errOut bytes.Buffer
	code, err := Run(context.Background(), s.Path(), "test", req, &out, &errOut)
	if err != nil || code != 3 {
		t.Fatalf("Run: code %d, %v", code, err)
	}
	if !bytes.Equal(out.Bytes(), big) || errOut.String() != "a notice\n" {
		t.Fatalf("output differs: %d bytes of stdout, stderr %q", out.Len(), errOut.String())
	}
	if got.Args[0] != "export" || got.Dir != "/home/lan" || got.Env["CXTOP_THEME"] != "light" {
		t.Fatalf("request arrived as %+v", got)
	}
	if int(gotPeer.UID) != os.Getuid() || int(gotPeer.PID) != os.Getpid() {
		t.Fatalf("peer %+v: want this process", gotPeer)
	}
}

func TestCloseRemovesTheSocket(t *testing.T) {
	s := listen(t, Options{Handler: func(context.Context, Peer, Request, io.Writer, io.Writer) int { return 0 }})
	s.Close()
	if _, err := os.Lstat(s.Path()); !os.IsNotExist(err) {
		t.Fatalf("socket still there after Close: %v", err)
	}
}

func TestAnotherUserIsRefused(t *testing.T) {
	ran := false
	s := listen(t, Options{testUID: os.Getuid() + 1000, Handler: func(context.Context, Peer, Request, io.Writer, io.Writer) int {
		ran = true
		return 0
	}})
	_, err := Run(context.Background(), s.Path(), "test", Request{Args: []string{"kpi"}, Dir: "/"}, io.Discard, io.Discard)
	var r *Refused
	if !errors.As(err, &r) || !strings.Contains(r.Reason, "may not use the control socket") {
		t.Fatalf("err %v, want a refusal of another uid", err)
	}
	if ran {
		t.Fatal("the command ran for another user")
	}
}

func TestCheckPeer(t *testing.T) {
	if _, err := checkPeer(&unix.Ucred{Uid: 1001, Pid: 7}, 1001); err != nil {
		t.Fatalf("same uid refused: %v", err)
	}
	if _, err := checkPeer(&unix.Ucred{Uid: 0, Pid: 7}, 1001); err == nil || !strings.Contains(err.Error(), "uid 0") {
		t.Fatalf("root connecting to another user's socket: %v", err)
	}
	if _, err := checkPeer(&unix.Ucred{Uid: 1002}, 0); err == nil || !strings.Contains(err.Error(), "(uid 1002)") {
		t.Fatalf("another user connecting to root's socket: %v", err)
	}
	if _, err := checkPeer(nil, 0); err == nil {
		t.Fatal("unknown credentials admitted")
	}
}

// rawHello connects, sends a hello of version v and returns the answer.
func rawHello(t *testing.T, path string, v int) frame {
	t.Helper()
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	h, _ := json.Marshal(hello{Protocol: v, Cxtop: "future"})
	c.Write(appendFrame(nil, frameHello, h))
	f, err := readFrame(c)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestProtocolMismatchNamesBothVersions(t *testing.T) {
	s := listen(t, Options{Handler: func(context.Context, Peer, Request, io.Writer, io.Writer) int { return 0 }})
	f := rawHello(t, s.Path(), Protocol+1)
	want := fmt.Sprintf("speaks v%d, this cxtop (future) v%d", Protocol, Protocol+1)
	if f.typ != frameRefuse || !strings.Contains(string(f.payload), want) {
		t.Fatalf("answer %q %q, want a refusal containing %q", f.typ, f.payload, want)
	}
	if f := rawHello(t, s.Path(), Protocol); f.typ != frameWelcome {
		t.Fatalf("the current version got %q %q", f.typ, f.payload)
	}
}

// A server of another version seen from the client: its welcome names a
// version the client does not speak.
func TestClientRefusesAnotherServerVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		readFrame(c)
		w, _ := json.Marshal(Welcome{Protocol: Protocol + 1, Cxtop: "next"})
		c.Write(appendFrame(nil, frameWelcome, w))
		io.Copy(io.Discard, c)
	}()
	_, err = Run(context.Background(), path, "test", Request{Dir: "/"}, io.Discard, io.Discard)
	want := fmt.Sprintf("speaks v%d, this cxtop (test) v%d", Protocol+1, Protocol)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err %v, want %q", err, want)
	}
}

func TestMalformedRequestIsRefused(t *testing.T) {
	s := listen(t, Options{Handler: func(context.Context, Peer, Request, io.Writer, io.Writer) int { return 0 }})
	c, err := net.Dial("unix", s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	h, _ := json.Marshal(hello{Protocol: Protocol})
	c.Write(appendFrame(nil, frameHello, h))
	if f, _ := readFrame(c); f.typ != frameWelcome {
		t.Fatalf("no welcome: %q", f.typ)
	}
	c.Write(appendFrame(nil, frameRequest, []byte("{not json")))
	f, err := readFrame(c)
	if err != nil || f.typ != frameRefuse || !strings.Contains(string(f.payload), "malformed control frame: request") {
		t.Fatalf("answer %q %q %v", f.typ, f.payload, err)
	}
}

func TestRelativeWorkingDirectoryIsRefused(t *testing.T) {
	s := listen(t, Options{Handler: func(context.Context, Peer, Request, io.Writer, io.Writer) int { return 0 }})
	_, err := Run(context.Background(), s.Path(), "test", Request{Args: []string{"kpi"}, Dir: "home"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `the working directory "home" is not absolute`) {
		t.Fatalf("err %v", err)
	}
}

func TestStaleSocket(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cx.db.sock")
	// A socket file whose process is gone: bound, then closed without unlinking.
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()
	if _, err := Run(context.Background(), path, "test", Request{Dir: "/"}, io.Discard, io.Discard); !errors.Is(err, ErrStale) {
		t.Fatalf("err %v, want ErrStale", err)
	}
	// A holder replaces it.
	s, err := Listen(path, Options{Handler: func(_ context.Context, _ Peer, _ Request, out, _ io.Writer) int {
		io.WriteString(out, "ok")
		return 0
	}})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if code, err := Run(context.Background(), path, "test", Request{Dir: "/"}, &out, io.Discard); err != nil || code != 0 || out.String() != "ok" {
		t.Fatalf("after replacing the stale socket: %d %v %q", code, err, out.String())
	}
	s.Close()
	if _, err := Run(context.Background(), path, "test", Request{Dir: "/"}, io.Discard, io.Discard); !errors.Is(err, ErrNoSocket) {
		t.Fatalf("err %v, want ErrNoSocket", err)
	}
	// RemoveStale and Listen leave a file that is not a socket alone.
	os.WriteFile(path, []byte("mine"), 0o600)
	if err := RemoveStale(path); err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(path, Options{}); err == nil || !strings.Contains(err.Error(), "not a socket is in the way") {
		t.Fatalf("Listen over a regular file: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "mine" {
		t.Fatal("a regular file was removed")
	}
}

func TestDisconnectCancelsTheCommand(t *testing.T) {
	started, cancelled := make(chan struct{}), make(chan struct{})
	s := listen(t, Options{Handler: func(ctx context.Context, _ Peer, _ Request, out, _ io.Writer) int {
		close(started)
		<-ctx.Done()
		close(cancelled)
		return 1
	}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := Run(ctx, s.Path(), "test", Request{Dir: "/"}, io.Discard, io.Discard)
		done <- err
	}()
	<-started
	cancel()
	select {
	case <-cancelled:
	case <-time.After(10 * time.Second):
		t.Fatal("the command was not cancelled when its client went away")
	}
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v", err)
	}
}

func TestConnectionsAreBounded(t *testing.T) {
	release := make(chan struct{})
	running := make(chan struct{}, 2)
	s := listen(t, Options{MaxConns: 1, Handler: func(context.Context, Peer, Request, io.Writer, io.Writer) int {
		running <- struct{}{}
		<-release
		return 0
	}})
	first := make(chan error)
	go func() {
		_, err := Run(context.Background(), s.Path(), "test", Request{Dir: "/"}, io.Discard, io.Discard)
		first <- err
	}()
	<-running
	_, err := Run(context.Background(), s.Path(), "test", Request{Dir: "/"}, io.Discard, io.Discard)
	var r *Refused
	if !errors.As(err, &r) || !strings.Contains(r.Reason, "busy: 1 commands are already running") {
		t.Fatalf("second connection: %v", err)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
}

func TestSocketPath(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cx.db")
	if p, err := SocketPath(db, "/run/user/1/cxtop"); err != nil || p != db+".sock" {
		t.Fatalf("short path: %q %v", p, err)
	}
	// Through a symbolic link: the same socket.
	os.WriteFile(db, nil, 0o600)
	link := filepath.Join(dir, "link.db")
	os.Symlink(db, link)
	if p, _ := SocketPath(link, "/run"); p != db+".sock" {
		t.Fatalf("through a link: %q", p)
	}
	long := filepath.Join(dir, strings.Repeat("d", 100), "cx.db")
	p, err := SocketPath(long, "/run/user/1/cxtop")
	if err != nil || !strings.HasPrefix(p, "/run/user/1/cxtop/store-") || len(p) > maxSunPath {
		t.Fatalf("long path: %q %v", p, err)
	}
	if q, _ := SocketPath(long+"2", "/run/user/1/cxtop"); q == p {
		t.Fatal("two stores, one socket")
	}
	if _, err := SocketPath(long, "/"+strings.Repeat("r", 120)); err == nil || !strings.Contains(err.Error(), "XDG_RUNTIME_DIR") {
		t.Fatalf("no room anywhere: %v", err)
	}
}
