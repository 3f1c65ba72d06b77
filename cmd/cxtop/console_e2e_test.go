package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tmuxSession runs the real binary in a detached tmux session on its own
// socket, so tests never touch the user's tmux.
type tmuxSession struct {
	t      *testing.T
	socket string
}

func startTmux(t *testing.T, w, h int, args ...string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is needed for the console's end-to-end tests: apt-get install tmux (.ci/run does)")
	}
	s := &tmuxSession{t: t, socket: fmt.Sprintf("cxtop-test-%d-%d", os.Getpid(), time.Now().UnixNano())}
	home := t.TempDir()
	cmdline := "env HOME=" + home + " XDG_STATE_HOME=" + filepath.Join(home, "state") + " TERM=xterm-256color " + binary
	for _, a := range args {
		cmdline += " '" + a + "'"
	}
	s.run("new-session", "-d", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), cmdline)
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	return s
}

func (s *tmuxSession) run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v: %s", args, err, out)
	}
	return string(out)
}

func (s *tmuxSession) screen() string { return s.run("capture-pane", "-p") }

func (s *tmuxSession) keys(keys ...string) { s.run(append([]string{"send-keys"}, keys...)...) }

// waitFor polls the screen until it contains want: synchronisation with a
// generous deadline, not a timing assertion.
func (s *tmuxSession) waitFor(want string) string {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		scr := s.screen()
		if strings.Contains(scr, want) {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("screen never showed %q:\n%s", want, scr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type jsonTicket struct {
	ID        string `json:"id"`
	Escalated bool   `json:"escalated"`
}

func ticketsJSON(t *testing.T, db string) []jsonTicket {
	t.Helper()
	r := cxtop(t, nil, "tickets", "--db", db, "--json", "--limit", "5000")
	var list []jsonTicket
	if err := json.Unmarshal([]byte(r.out), &list); err != nil {
		t.Fatalf("tickets --json: %v: %s", err, r.errOut)
	}
	return list
}

func notEscalated(t *testing.T, db string, skip int) string {
	for _, tk := range ticketsJSON(t, db) {
		if !tk.Escalated {
			if skip == 0 {
				return tk.ID
			}
			skip--
		}
	}
	t.Fatal("no open ticket that is not escalated")
	return ""
}

func escalated(t *testing.T, db, id string) bool {
	for _, tk := range ticketsJSON(t, db) {
		if tk.ID == id {
			return tk.Escalated
		}
	}
	t.Fatalf("ticket %s is not in the queue", id)
	return false
}

func TestConsoleTriageInTmux(t *testing.T) {
	db := simulated(t, t.TempDir())
	id := notEscalated(t, db, 0)
	s := startTmux(t, 120, 40, "--db", db)
	// The title comes with the first frame, the rows with the first load:
	// wait for the selected row (a loaded machine drew the frame first).
	s.waitFor("Queue: ")
	first := s.waitFor("▸")
	if strings.Count(first, "▸") != 1 {
		t.Fatalf("queue shows no selected row:\n%s", first)
	}
	s.keys("/")
	// Wait for the prompt: sent at once, "/" and the id can arrive in
	// one read and be taken for one key.
	s.waitFor("enter searches, esc cancels")
	s.keys("-l", id)
	s.keys("Enter")
	scr := s.waitFor(`search "` + id + `": 1 tickets`)
	if !strings.Contains(scr, "▸   "+id) {
		t.Fatalf("search did not narrow the queue to %s:\n%s", id, scr)
	}
	s.keys("e")
	s.waitFor(id + " escalate: saved, pending sync")
	// A resize redraws the whole screen in the narrow layout.
	s.run("resize-window", "-x", "80", "-y", "24")
	scr = s.waitFor("[1 queue] 2 3")
	for i, line := range strings.Split(strings.TrimRight(scr, "\n"), "\n") {
		if n := len([]rune(line)); n > 80 {
			t.Fatalf("line %d is %d cells wide after resizing to 80:\n%s", i, n, scr)
		}
	}
	s.keys("q")
	waitStoreFree(t, db)
	if !escalated(t, db, id) {
		t.Fatalf("after q, cxtop tickets --json does not show %s escalated", id)
	}
}

// waitStoreFree waits until the console has exited and released the store:
// its control socket is gone (commands would be forwarded to it while it
// is there) and a command opens the store itself.
func waitStoreFree(t *testing.T, db string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := os.Lstat(db + ".sock")
		if r := cxtop(t, nil, "tickets", "--db", db, "--limit", "1"); r.code == 0 && os.IsNotExist(err) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("store still held after q")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestConsoleReadOnlyRefusesEscalate(t *testing.T) {
	db := simulated(t, t.TempDir())
	id := notEscalated(t, db, 0)
	s := startTmux(t, 120, 40, "--db", db, "--read-only")
	s.waitFor("Queue: ")
	s.keys("/")
	// Wait for the prompt: sent at once, "/" and the id can arrive in
	// one read and be taken for one key.
	s.waitFor("enter searches, esc cancels")
	s.keys("-l", id)
	s.keys("Enter")
	s.waitFor(`search "` + id + `"`)
	s.keys("e")
	s.waitFor("read-only: triage needs a lead session")
	s.keys("q")
	waitStoreFree(t, db)
	if escalated(t, db, id) {
		t.Fatalf("a read-only console escalated %s", id)
	}
}

// TestConsoleSyncsTheConfiguredRemote opens the console on a new store
// with [sync] remote set to a running hub: the console syncs in-process,
// the queue fills, and after q the store holds the hub's tickets. With
// --offline it syncs nothing.
func TestConsoleSyncsTheConfiguredRemote(t *testing.T) {
	dir := t.TempDir()
	url, _ := startHub(t, simulated(t, dir))
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf("[sync]\nremote = %q\ninterval = \"200ms\"\n", url)), 0o600); err != nil {
		t.Fatal(err)
	}
	offline := filepath.Join(dir, "offline.db")
	cxtop(t, nil, "simulate", "--db", offline, "--tickets", "1", "--days", "1")
	s := startTmux(t, 120, 40, "--db", offline, "--config", cfg, "--offline")
	s.waitFor("Queue: ")
	if scr := s.waitFor("not synced"); strings.Contains(scr, "sync lag") {
		t.Fatalf("--offline console synced:\n%s", scr)
	}
	s.keys("q")
	waitStoreFree(t, offline)

	local := filepath.Join(dir, "local.db")
	s = startTmux(t, 120, 40, "--db", local, "--config", cfg)
	s.waitFor("sync lag")
	deadline := time.Now().Add(30 * time.Second)
	for scr := s.waitFor("Queue: "); strings.Contains(scr, "Queue: 0 open"); scr = s.screen() {
		if time.Now().After(deadline) {
			t.Fatalf("the console never filled its queue from %s:\n%s", url, scr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.keys("q")
	waitStoreFree(t, local)
	if n := len(ticketsJSON(t, local)); n == 0 {
		t.Fatal("after q the store holds no ticket from the hub")
	}
}
