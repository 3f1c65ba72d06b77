package main

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestSnapshotCommand(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	out := filepath.Join(dir, "monday.db")
	r := cxtop(t, nil, "snapshot", "--db", db, "--out", out)
	if r.code != 0 || !strings.HasPrefix(r.out, "snapshot "+out+": ") || !strings.Contains(r.out, " tickets, ") {
		t.Fatalf("snapshot: %+v", r)
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("snapshot file: %v %v", fi, err)
	}
	if c := cxtop(t, nil, "check", "--db", out); c.code != 0 {
		t.Fatalf("check of the snapshot: %s%s", c.out, c.errOut)
	}
	if a, b := cxtop(t, nil, "export", "--db", db), cxtop(t, nil, "export", "--db", out); a.out != b.out || a.out == "" {
		t.Fatal("the snapshot's export differs from its store's")
	}
	again := cxtop(t, nil, "snapshot", "--db", db, "--out", out)
	wantOneLineError(t, again, 1, "file exists")
	// The default name is beside the store, and sorts by time.
	def := cxtop(t, nil, "snapshot", "--db", db)
	if def.code != 0 || !strings.Contains(def.out, filepath.Join(dir, "snapshots", "sim-")) {
		t.Fatalf("snapshot with the default name: %+v", def)
	}
}

func TestSnapshotFlagErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cx.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sync", "--db", db, "--remote", "http://127.0.0.1:1", "--snapshot-every", "1ms"}, "--snapshot-every 1ms is out of range"},
		{[]string{"sync", "--db", db, "--remote", "http://127.0.0.1:1", "--snapshot-every", "1h", "--keep", "0"}, "--keep 0 is out of range"},
		{[]string{"sync", "--db", db, "--remote", "http://127.0.0.1:1", "--snapshot-dir", "/tmp"}, "--snapshot-dir needs --snapshot-every"},
		{[]string{"sync", "--db", db, "--remote", "http://127.0.0.1:1", "--once", "--snapshot-every", "1h"}, "--snapshot-every needs a continuous sync"},
		{[]string{"serve", "--db", db, "--snapshot-every", "-1s"}, "--snapshot-every -1s is out of range"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			wantOneLineError(t, runIn(t, tc.args...), 2, tc.want)
		})
	}
}

// The rotated snapshots of a sync that writes continuously (a hub that
// simulates a live helpdesk) each pass bbolt's page check and cxtop check,
// say when they were taken and from which remote, and only the newest
// --keep are kept.
func TestSyncRotatesSnapshotsWhileWriting(t *testing.T) {
	dir := t.TempDir()
	hubDB, localDB, snaps := filepath.Join(dir, "hub.db"), filepath.Join(dir, "local.db"), filepath.Join(dir, "snaps")
	if r := cxtop(t, nil, "simulate", "--db", hubDB, "--days", "5", "--end", simEnd, "--seed", "2"); r.code != 0 {
		t.Fatalf("simulate: %s", r.errOut)
	}
	url, _ := startHub(t, hubDB, "--simulate", "200")
	cmd := exec.Command(binary, "sync", "--db", localDB, "--remote", url, "--interval", "100ms", "--page-size", "200",
		"--snapshot-every", "1s", "--snapshot-dir", snaps, "--keep", "2")
	cmd.Env = cleanEnv(t)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	taken := 0
	deadline := time.Now().Add(60 * time.Second)
	for taken < 4 && time.Now().Before(deadline) && sc.Scan() {
		if strings.Contains(sc.Text(), "snapshot: "+snaps) {
			taken++
		}
	}
	go io.Copy(io.Discard, stderr)
	// The sync holds the store: a snapshot and a report are run by it,
	// through its control socket, while it writes.
	manual := filepath.Join(dir, "manual.db")
	if r := cxtop(t, nil, "snapshot", "--db", localDB, "--out", manual); r.code != 0 || !strings.Contains(r.out, "snapshot "+manual) {
		t.Fatalf("snapshot of a held store: %+v", r)
	}
	if r := cxtop(t, nil, "check", "--db", manual); r.code != 0 {
		t.Fatalf("check of the snapshot of a held store: %s%s", r.out, r.errOut)
	}
	if r := cxtop(t, nil, "report", "weekly", "--db", localDB, "--format", "json"); r.code != 0 || !json.Valid([]byte(r.out)) {
		t.Fatalf("report on a held store: %+v", r)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("sync did not stop cleanly: %v", err)
	}
	if taken < 4 {
		t.Fatalf("only %d snapshots were taken in a minute", taken)
	}
	entries, _ := os.ReadDir(snaps)
	if len(entries) != 2 {
		t.Fatalf("%d files in the snapshot directory, want the newest 2", len(entries))
	}
	for _, e := range entries {
		p := filepath.Join(snaps, e.Name())
		c := cxtop(t, nil, "check", "--db", p)
		if c.code != 0 {
			t.Fatalf("check of %s: %s%s", p, c.out, c.errOut)
		}
		if !strings.HasPrefix(c.out, "snapshot of "+localDB+" taken ") || !strings.Contains(c.out, "synced from hub "+url+", cursor ") {
			t.Fatalf("check does not describe the snapshot %s: %s", p, c.out)
		}
		exp := cxtop(t, nil, "kpi", "--db", p, "--json")
		if exp.code != 0 || !json.Valid([]byte(exp.out)) {
			t.Fatalf("kpi on %s: %+v", p, exp)
		}
	}
}
