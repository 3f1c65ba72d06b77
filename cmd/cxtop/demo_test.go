package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
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
