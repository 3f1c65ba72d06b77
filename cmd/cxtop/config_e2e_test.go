package main

import (
	"os"
	"path/filepath"
	"testing"
)

// sessionConfig rebinds the trends pane's key, sets a KPI target and saves
// a view: three sections a session can only show if its entry point passed
// the resolved config on.
const sessionConfig = `
[kpi.targets]
csat = { target = 0.6 }

[console.keys]
pane3 = ["T"]

[[console.views]]
name   = "Email only"
filter = "source=email"
`

func writeSessionConfig(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(sessionConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkSessionConfig drives a session: T (not 3) opens the trends pane,
// whose footer shows the configured CSAT target, and v shows the saved
// view.
func checkSessionConfig(s *tmuxSession) {
	s.t.Helper()
	s.waitFor("Queue: ")
	s.keys("T")
	s.waitFor("target 60.0%")
	s.keys("1") // keys typed at once over ssh can arrive as one: wait between
	s.waitFor("▶ 1 Queue")
	s.keys("v")
	s.waitFor("Email only")
}

func TestServeSessionsUseTheConfig(t *testing.T) {
	needSSH(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "cx.db")
	if r := cxtop(t, nil, "simulate", "--db", db, "--days", "3", "--end", simEnd, "--seed", "5"); r.code != 0 {
		t.Fatalf("simulate: %+v", r)
	}
	srv := startServe(t, db, "--host-key", filepath.Join(dir, "host"), "--config", writeSessionConfig(t, dir))
	checkSessionConfig(sshInTmux(t, srv.port, sshKey(t, dir, "watcher")))
}

func TestDemoUsesTheConfig(t *testing.T) {
	dir := t.TempDir()
	s := startTmux(t, 120, 40, "demo", "--days", "3", "--rate", "5", "--config", writeSessionConfig(t, dir))
	checkSessionConfig(s)
	s.keys("q")
}
