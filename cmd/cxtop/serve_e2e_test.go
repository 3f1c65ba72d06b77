package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// needSSH skips only where the tools are genuinely missing on a
// developer's machine; in CI (CI set), where .ci/run installs them, a
// missing tool fails the test rather than hiding it.
func needSSH(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"ssh", "ssh-keygen", "tmux"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed, and CI must run the SSH tests: .ci/run installs openssh-client and tmux", tool)
			}
			t.Skipf("%s is not installed: apt-get install openssh-client tmux (.ci/run does)", tool)
		}
	}
}

// lockedLog collects a process's stderr while the test reads it.
type lockedLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedLog) add(s string) { l.mu.Lock(); l.b.WriteString(s); l.mu.Unlock() }
func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type serveProc struct {
	cmd       *exec.Cmd
	port      string
	startLine string
	log       *lockedLog
	exited    chan error
}

// startServe runs the real 'cxtop serve' on a free loopback port.
func startServe(t *testing.T, db string, args ...string) *serveProc {
	t.Helper()
	const marker = "listening on 127.0.0.1:"
	cmd, line, rd := startListening(t, marker, append([]string{"serve", "--db", db, "--listen", "127.0.0.1:0"}, args...)...)
	_, rest, _ := strings.Cut(line, marker)
	p := &serveProc{cmd: cmd, port: strings.Fields(rest)[0], startLine: line, log: &lockedLog{}, exited: make(chan error, 1)}
	go func() {
		for {
			s, err := rd.ReadString('\n')
			p.log.add(s)
			if err != nil {
				return
			}
		}
	}()
	go func() { p.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-p.exited
	})
	return p
}

// stop sends SIGTERM and checks the server exits 0.
func (p *serveProc) stop(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.exited:
		p.exited <- err // for the cleanup
		if err != nil {
			t.Fatalf("serve did not stop cleanly on SIGTERM: %v; log:\n%s", err, p.log.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("serve still running 30s after SIGTERM; log:\n%s", p.log.String())
	}
}

// sshKey makes a throwaway client key with ssh-keygen.
func sshKey(t *testing.T, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v: %s", err, out)
	}
	return path
}

// sshArgs is the real OpenSSH client, told to trust nothing and ask nothing
// (-F /dev/null: no user config).
func sshArgs(port, key string) []string {
	return []string{"-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-p", port, "-i", key, "watcher@127.0.0.1"}
}

// sshInTmux runs ssh in a tmux pane: a real pty, a real terminal. When ssh
// ends, the pane says how, and stays for capture-pane.
func sshInTmux(t *testing.T, port, key string) *tmuxSession {
	t.Helper()
	s := &tmuxSession{t: t, socket: fmt.Sprintf("cxtop-serve-test-%d-%d", os.Getpid(), time.Now().UnixNano())}
	cmdline := "env HOME=" + t.TempDir() + " ssh '" + strings.Join(sshArgs(port, key), "' '") + "'; echo \"ssh exited $?\"; sleep 600"
	s.run("new-session", "-d", "-x", "120", "-y", "40", cmdline)
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	return s
}

// searchFor narrows the queue to one ticket. Over ssh, keys typed at once
// can reach the console in one read, and "/T0001" is no key: each step
// waits for the screen.
func searchFor(s *tmuxSession, id string) {
	s.t.Helper()
	s.keys("/")
	s.waitFor("enter searches, esc cancels")
	s.keys("-l", id)
	s.waitFor("/" + id)
	s.keys("Enter")
	s.waitFor(`search "` + id + `": 1 tickets`)
}

func TestServeOverSSH(t *testing.T) {
	needSSH(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "cx.db")
	if r := cxtop(t, nil, "simulate", "--db", db, "--days", "3", "--end", simEnd, "--seed", "5"); r.code != 0 {
		t.Fatalf("simulate: %+v", r)
	}
	id := notEscalated(t, db, 0)
	hostKey := filepath.Join(dir, "host", "ssh_host_ed25519")
	srv := startServe(t, db, "--host-key", hostKey)

	// The host key was made 0600, and the start-up line shows its real
	// fingerprint.
	fi, err := os.Stat(hostKey)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key %s: %v, mode %v; want 0600", hostKey, err, fi.Mode().Perm())
	}
	fp, err := exec.Command("ssh-keygen", "-l", "-f", hostKey).Output()
	if err != nil || len(strings.Fields(string(fp))) < 2 {
		t.Fatalf("ssh-keygen -l: %v %q", err, fp)
	}
	if want := strings.Fields(string(fp))[1]; !strings.Contains(srv.startLine, "host key "+want) {
		t.Fatalf("start-up line %q does not show the fingerprint %s", srv.startLine, want)
	}
	if !strings.Contains(srv.startLine, "any public key may watch (sessions are read-only") {
		t.Fatalf("start-up line %q does not say who may log in", srv.startLine)
	}

	key := sshKey(t, dir, "watcher")
	a, b := sshInTmux(t, srv.port, key), sshInTmux(t, srv.port, key)
	for _, s := range []*tmuxSession{a, b} {
		// The status bar is the frame's last line: once it shows, the
		// whole first frame has arrived.
		scr := s.waitFor("· viewer ·")
		if !strings.Contains(scr, "KPIs, each over its window") || !strings.Contains(scr, "Queue: ") {
			t.Fatalf("an SSH session does not show the viewer's dashboard:\n%s", scr)
		}
	}

	// e is refused in the session, and the store is unchanged.
	searchFor(a, id)
	a.keys("e")
	a.waitFor("read-only: triage needs a lead session")
	a.keys("s")
	a.waitFor("needs a lead session")
	if escalated(t, db, id) {
		t.Fatalf("an SSH viewer escalated %s", id)
	}

	// A resized window reaches the console: the narrow layout.
	b.run("resize-window", "-x", "80", "-y", "24")
	b.waitFor("[1 queue] 2 3")

	// q ends one session cleanly; the other carries on.
	a.keys("q")
	a.waitFor("ssh exited 0")
	searchFor(b, id)
	if n := strings.Count(srv.log.String(), `session end user="watcher" addr=127.0.0.1:`); n != 1 {
		t.Fatalf("%d session end lines after one q, want 1:\n%s", n, srv.log.String())
	}

	// SIGTERM closes the open session and the server exits 0, releasing
	// the store.
	srv.stop(t)
	scr := b.waitFor("ssh exited")
	if !strings.Contains(scr, "cxtop serve is shutting down: goodbye") {
		t.Fatalf("the open session was not told the server is stopping:\n%s", scr)
	}
	log := srv.log.String()
	if strings.Count(log, `session start user="watcher"`) != 2 || strings.Count(log, "session end") != 2 {
		t.Fatalf("want two session start and end lines:\n%s", log)
	}
	if r := cxtop(t, nil, "check", "--db", db); r.code != 0 {
		t.Fatalf("check after serve: %+v", r)
	}
}

func TestServeAuthorizedKeys(t *testing.T) {
	needSSH(t)
	dir := t.TempDir()
	db := simulated(t, dir)
	listed, other := sshKey(t, dir, "listed"), sshKey(t, dir, "other")
	pub, err := os.ReadFile(listed + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	authorized := filepath.Join(dir, "authorized_keys")
	os.WriteFile(authorized, pub, 0o600)
	srv := startServe(t, db, "--authorized-keys", authorized, "--host-key", filepath.Join(dir, "hk"))
	if !strings.Contains(srv.startLine, "1 keys from "+authorized) {
		t.Fatalf("start-up line %q does not name the authorized keys", srv.startLine)
	}
	sshRun := func(key string) (int, string) {
		cmd := exec.Command("ssh", sshArgs(srv.port, key)...)
		cmd.Env = append(cleanEnv(t), "TERM=xterm")
		cmd.Stdin = strings.NewReader("")
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), string(out)
		} else if err != nil {
			t.Fatal(err)
		}
		return 0, string(out)
	}
	if code, out := sshRun(other); code != 255 || !strings.Contains(out, "Permission denied (publickey)") {
		t.Fatalf("a key not listed: exit %d, %q; want 255 and permission denied", code, out)
	}
	// The listed key is admitted; without a pty it gets one line.
	if code, out := sshRun(listed); code != 1 || !strings.Contains(out, "cxtop serve needs a terminal: ssh -t") {
		t.Fatalf("the listed key without a pty: exit %d, %q", code, out)
	}
	srv.stop(t)
}

func TestServeFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--max-sessions", "0"}, "--max-sessions 0 is out of range: use 1 to 1000"},
		{[]string{"--listen", "localhost"}, `--listen "localhost" is not HOST:PORT`},
		{[]string{"--listen", "127.0.0.1:99999"}, `port "99999" is not a number from 0 to 65535`},
		{[]string{"--theme", "neon"}, `--theme "neon" is not known`},
		{[]string{"--idle-timeout", "1ms"}, "--idle-timeout 1ms is out of range"},
		{[]string{"--token", "x"}, "--source, --token and --token-file need --remote"},
		{[]string{"--token-file", "x"}, "--source, --token and --token-file need --remote"},
		{[]string{"--remote", "http://127.0.0.1:1", "--source", "jira"}, `--source "jira" is not known`},
	} {
		r := runIn(t, append([]string{"serve", "--db", "/nonexistent/cx.db"}, tc.args...)...)
		wantOneLineError(t, r, 2, tc.want)
	}
	r := runIn(t, "serve", "--db", filepath.Join(t.TempDir(), "missing.db"))
	wantOneLineError(t, r, 1, "missing.db")
	db := simulated(t, t.TempDir())
	r = runIn(t, "serve", "--db", db, "--authorized-keys", "/nonexistent/keys")
	wantOneLineError(t, r, 1, "--authorized-keys /nonexistent/keys: no such file or directory")
}

// With --remote the serving process syncs its own store (nothing else may
// hold it for writing) and the watchers see the records arrive.
func TestServeSyncsFromRemote(t *testing.T) {
	needSSH(t)
	dir := t.TempDir()
	url, _ := startHub(t, simulated(t, dir))
	local := filepath.Join(dir, "local.db")

	// A port in use is one line and exit 1, with the sync loop stopped
	// rather than left holding the process.
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "serve", "--db", local, "--remote", url,
		"--host-key", filepath.Join(dir, "hk"), "--listen", busy.Addr().String())
	cmd.Env = cleanEnv(t)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || ctx.Err() != nil ||
		!strings.Contains(string(out), "cxtop: listen on "+busy.Addr().String()) {
		t.Fatalf("serve on a busy port: %v (%v), %q; want exit 1 and one line", err, ctx.Err(), out)
	}

	srv := startServe(t, local, "--remote", url, "--host-key", filepath.Join(dir, "hk"))
	s := sshInTmux(t, srv.port, sshKey(t, dir, "watcher"))
	s.waitFor("sync lag")
	// The queue fills as the pages commit.
	deadline := time.Now().Add(30 * time.Second)
	for scr := s.waitFor("Queue: "); strings.Contains(scr, "Queue: 0 open"); scr = s.screen() {
		if time.Now().After(deadline) {
			t.Fatalf("the synced queue stayed empty:\n%s", s.screen())
		}
		time.Sleep(100 * time.Millisecond)
	}
	srv.stop(t)
	if r := cxtop(t, nil, "tickets", "--db", local, "--limit", "1"); r.code != 0 || !strings.Contains(r.out, "T") {
		t.Fatalf("after serve --remote the store has no tickets: %+v", r)
	}
}
