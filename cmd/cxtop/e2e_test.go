package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	// Only to damage a store on purpose: the product reaches bbolt
	// through package store alone.
	bolt "go.etcd.io/bbolt"
)

const simEnd = "2026-11-01T00:00:00Z"

var (
	simOnce sync.Once
	simPath string
	simErr  string
)

// simulated returns a fresh copy of a store of 10 simulated days (made once
// per test run by the real binary) in dir.
func simulated(t *testing.T, dir string) string {
	t.Helper()
	simOnce.Do(func() {
		simDir, err := os.MkdirTemp("", "cxtop-sim-")
		if err != nil {
			simErr = err.Error()
			return
		}
		simPath = filepath.Join(simDir, "sim.db")
		r := cxtop(t, nil, "simulate", "--db", simPath, "--days", "10", "--end", simEnd, "--seed", "7")
		if r.code != 0 || !strings.Contains(r.errOut, "simulated ") {
			simErr = fmt.Sprintf("simulate: %+v", r)
		}
	})
	if simErr != "" {
		t.Fatal(simErr)
	}
	data, err := os.ReadFile(simPath)
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "sim.db")
	if err := os.WriteFile(db, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestSimulateExportImportIsByteIdentical(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	first := cxtop(t, nil, "export", "--db", db)
	if first.code != 0 || strings.Count(first.out, "\n") < 1000 {
		t.Fatalf("export: code %d, %d lines, %s", first.code, strings.Count(first.out, "\n"), first.errOut)
	}
	for _, kind := range []string{`{"kind":"ticket"`, `{"kind":"feedback"`, `{"kind":"event"`} {
		if !strings.Contains(first.out, kind) {
			t.Fatalf("export has no %s records", kind)
		}
	}
	dump := filepath.Join(dir, "dump.jsonl")
	os.WriteFile(dump, []byte(first.out), 0o600)
	copyDB := filepath.Join(dir, "copy.db")
	if r := cxtop(t, nil, "import", "--db", copyDB, dump); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	second := cxtop(t, nil, "export", "--db", copyDB)
	if second.out != first.out {
		t.Fatal("simulate → export → import → export is not byte-identical")
	}
	// Importing from stdin gives the same store again.
	stdinDB := filepath.Join(dir, "stdin.db")
	if r := cxtop(t, []byte(first.out), "import", "--db", stdinDB, "-"); r.code != 0 {
		t.Fatalf("import -: %+v", r)
	}
	if third := cxtop(t, nil, "export", "--db", stdinDB); third.out != first.out {
		t.Fatal("import from stdin differs")
	}
	for _, p := range []string{db, copyDB, stdinDB} {
		if r := cxtop(t, nil, "check", "--db", p); r.code != 0 || !strings.Contains(r.out, "ok: indexes and rollups agree") {
			t.Fatalf("check %s: %+v", p, r)
		}
	}
	// Same seed, same bytes.
	again := filepath.Join(dir, "again.db")
	cxtop(t, nil, "simulate", "--db", again, "--days", "10", "--end", simEnd, "--seed", "7")
	if r := cxtop(t, nil, "export", "--db", again); r.out != first.out {
		t.Fatal("the same seed gave different records")
	}
}

func TestTicketsQueue(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	r := cxtop(t, nil, "tickets", "--db", db, "--limit", "5", "--now", simEnd)
	lines := strings.Split(strings.TrimSpace(r.out), "\n")
	if r.code != 0 || len(lines) != 6 || !strings.HasPrefix(lines[0], "ID") {
		t.Fatalf("tickets: %+v", r)
	}
	j := cxtop(t, nil, "tickets", "--db", db, "--limit", "3", "--json", "--type", "complaint")
	if j.code != 0 || !strings.HasPrefix(j.out, "[\n{\"kind\":\"ticket\"") || strings.Count(j.out, `"type":"complaint"`) != 3 {
		t.Fatalf("tickets --json --type complaint: %+v", j)
	}
	done := cxtop(t, nil, "tickets", "--db", db, "--status", "done", "--limit", "4", "--json")
	if strings.Count(done.out, `"status":"done"`) != 4 {
		t.Fatalf("tickets --status done: %s", done.out)
	}
}

func TestImportBadLineChangesNothing(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	before := cxtop(t, nil, "export", "--db", db).out
	lines := strings.SplitN(before, "\n", 4)
	for _, tc := range []struct {
		name, bad, want string
	}{
		{"not json", "this is not json", "line 3: not a JSON object"},
		{"unknown key", strings.Replace(lines[0], `"kind":"ticket"`, `"kind":"ticket","colour":"red"`, 1), `line 3: unknown key "colour"`},
		{"bad status", strings.Replace(lines[0], `"status":"`, `"status":"x`, 1), "line 3: ticket T"},
		{"truncated", lines[1][:len(lines[1])/2], "line 3: truncated JSON object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Two good lines that would change the store, then the bad one.
			changed := strings.Replace(lines[0], `"subject":"`, `"subject":"CHANGED `, 1)
			file := filepath.Join(t.TempDir(), "in.jsonl")
			os.WriteFile(file, []byte(changed+"\n"+lines[1]+"\n"+tc.bad+"\n"), 0o600)
			r := cxtop(t, nil, "import", "--db", db, file)
			wantOneLineError(t, r, 1, tc.want)
			if !strings.Contains(r.errOut, "nothing was written") {
				t.Fatalf("error should say nothing was written: %s", r.errOut)
			}
			if after := cxtop(t, nil, "export", "--db", db).out; after != before {
				t.Fatal("a failed import changed the store")
			}
		})
	}
}

func TestBadStoreFiles(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, bytes.Repeat([]byte("garbage!"), 2000), 0o600)
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	foreign := filepath.Join(dir, "foreign.db")
	db, err := bolt.Open(foreign, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("other")); return err })
	db.Close()
	for _, tc := range []struct{ path, want string }{
		{garbage, "not a cxtop store: " + garbage + " is not a database file"},
		{empty, "is an empty file"},
		{dir, "is a directory"},
		{foreign, "is a bbolt database of another program"},
	} {
		for _, cmd := range [][]string{{"tickets"}, {"export"}, {"check"}, {"simulate", "--days", "1"}} {
			t.Run(filepath.Base(tc.path)+"/"+cmd[0], func(t *testing.T) {
				before, _ := os.ReadFile(tc.path)
				r := cxtop(t, nil, append(cmd, "--db", tc.path)...)
				wantOneLineError(t, r, 1, tc.want)
				after, _ := os.ReadFile(tc.path)
				if !bytes.Equal(before, after) {
					t.Fatal("the refused file was modified")
				}
			})
		}
	}
}

func TestCheckReportsTampering(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	bdb, err := bolt.Open(db, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("idx_queue"))
		k, _ := b.Cursor().First()
		return b.Delete(k)
	})
	bdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	r := cxtop(t, nil, "check", "--db", db)
	if r.code != 1 || !strings.Contains(r.out, "FAILED") || !strings.Contains(r.out, "index idx_queue: missing entry for ticket") {
		t.Fatalf("check of a tampered store: %+v", r)
	}
	wantOneLineError(t, r, 1, "problems found")
}

// A first simulate into an empty store is a bulk load; the store it leaves
// passes check, and simulating the same history again (the normal path:
// the store holds records) changes no record and still passes check.
func TestSimulateBulkThenAgain(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "bulk.db")
	args := []string{"simulate", "--db", db, "--days", "3", "--end", simEnd, "--seed", "9"}
	if r := cxtop(t, nil, args...); r.code != 0 {
		t.Fatalf("simulate: %+v", r)
	}
	if r := cxtop(t, nil, "check", "--db", db); r.code != 0 {
		t.Fatalf("check after a bulk simulate: %+v", r)
	}
	first := cxtop(t, nil, "export", "--db", db).out
	if r := cxtop(t, nil, args...); r.code != 0 {
		t.Fatalf("simulate again: %+v", r)
	}
	if again := cxtop(t, nil, "export", "--db", db).out; again != first || first == "" {
		t.Fatal("simulating the same history again changed the records")
	}
	if r := cxtop(t, nil, "check", "--db", db); r.code != 0 {
		t.Fatalf("check after simulating again: %+v", r)
	}
}
