package main

import (
	"bufio"
	"encoding/json"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/cxtop/cxtop/model/alert"
)

// startDemo runs the real 'cxtop demo' (stdin and stdout are pipes, so the
// plain view prints one line a second) until its view shows synced
// records, and returns the running command with its stdin.
func startDemo(t *testing.T, args ...string) (*exec.Cmd, io.WriteCloser) {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"demo", "--days", "3", "--rate", "20"}, args...)...)
	cmd.Env = cleanEnv(t)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) > 2 && f[1] == "records" {
			if n, _ := strconv.Atoi(strings.TrimSuffix(f[2], ",")); n > 0 {
				go io.Copy(io.Discard, stdout)
				return cmd, stdin
			}
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	t.Fatalf("the demo ended without showing synced records: %v", sc.Err())
	return nil, nil
}

func TestDemoSyncsAndStopsOnSIGTERM(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	cmd, _ := startDemo(t, "--dir", dir)
	// Both of the demo's stores answer commands through their sockets.
	for _, name := range []string{"cxtop.db", "hub.db"} {
		waitSocket(t, filepath.Join(dir, name+".sock"), true)
		if r := cxtop(t, nil, "tickets", "--db", filepath.Join(dir, name), "--limit", "1", "--json"); r.code != 0 {
			t.Fatalf("tickets beside the demo, %s: %+v", name, r)
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("demo did not exit cleanly on SIGTERM: %v", err)
	}
	for _, name := range []string{"cxtop.db", "hub.db"} {
		if _, err := os.Lstat(filepath.Join(dir, name+".sock")); !os.IsNotExist(err) {
			t.Fatalf("the demo left its socket %s: %v", name, err)
		}
	}
	// The kept stores are whole: the synced one passes check.
	if r := cxtop(t, nil, "check", "--db", filepath.Join(dir, "cxtop.db")); r.code != 0 {
		t.Fatalf("check of the demo's store: %s%s", r.out, r.errOut)
	}
}

func TestDemoQuitsOnQ(t *testing.T) {
	cmd, stdin := startDemo(t)
	io.WriteString(stdin, "q\n")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("demo did not exit cleanly on q: %v", err)
	}
}

func TestDemoFlagErrors(t *testing.T) {
	wantOneLineError(t, runIn(t, "demo", "--rate", "-1"), 2, "--rate")
	wantOneLineError(t, runIn(t, "demo", "--days", "0"), 2, "--days")
}

// The measurement path (--until-synced, --cpuprofile) quits once the whole
// history is in the console's store: the same records as the hub's, a
// store that passes check, and a profile written.
func TestDemoUntilSynced(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	prof := filepath.Join(t.TempDir(), "demo.pprof")
	r := cxtop(t, []byte{}, "demo", "--days", "2", "--rate", "0", "--dir", dir, "--until-synced", "--cpuprofile", prof)
	if r.code != 0 || !strings.Contains(r.errOut, "in the console's store after") {
		t.Fatalf("demo --until-synced: %+v", r)
	}
	if fi, err := os.Stat(prof); err != nil || fi.Size() == 0 {
		t.Fatalf("no CPU profile: %v", err)
	}
	if r := cxtop(t, nil, "check", "--db", filepath.Join(dir, "cxtop.db")); r.code != 0 {
		t.Fatalf("check of the demo's store: %s%s", r.out, r.errOut)
	}
	ids := func(db string) map[string]bool {
		r := cxtop(t, nil, "export", "--db", filepath.Join(dir, db))
		if r.code != 0 {
			t.Fatalf("export %s: %+v", db, r)
		}
		got := map[string]bool{}
		for _, line := range strings.Split(strings.TrimSpace(r.out), "\n") {
			var rec struct{ Kind, ID string }
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("export %s: %v in %q", db, err, line)
			}
			// The tickets the automations derive (a detractor's
			// follow-up, a bad chatbot chat's escalation) are each
			// engine's own, made when it reads the answer: the hub's
			// engine may derive some after the history's last sequence,
			// which is where the demo quits. The history is the rest.
			if rec.Kind == "ticket" && (strings.HasPrefix(rec.ID, alert.FollowUpPrefix) || strings.HasPrefix(rec.ID, alert.EscalationPrefix)) {
				continue
			}
			got[rec.Kind+" "+rec.ID] = true
		}
		return got
	}
	hub, console := ids("hub.db"), ids("cxtop.db")
	if len(hub) < 1000 || !maps.Equal(hub, console) {
		t.Fatalf("the console's store holds %d records of the history, the hub's %d: want the same, at least 1000", len(console), len(hub))
	}
}

func TestCursorSeq(t *testing.T) {
	for c, want := range map[string]uint64{"": 0, "abc.42": 42, "a.b.7": 7, "nodot": 0, "x.": 0} {
		if got := cursorSeq(c); got != want {
			t.Errorf("cursorSeq(%q) = %d, want %d", c, got, want)
		}
	}
}
