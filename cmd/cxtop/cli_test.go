package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	r := runIn(t, "version")
	if r.code != 0 || !strings.HasPrefix(r.out, "cxtop ") || !strings.Contains(r.out, "schema v") {
		t.Fatalf("version: %+v", r)
	}
}

func TestUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cx.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"tickets", "--db", db, "--limit", "0"}, "--limit 0 is out of range"},
		{[]string{"tickets", "--db", db, "--limit", "abc"}, `invalid argument "abc"`},
		{[]string{"tickets", "--db", db, "--status", "closed"}, `--status "closed" is not known: use one of new, in_progress, done`},
		{[]string{"tickets", "--db", db, "--type", "praise"}, `--type "praise" is not known`},
		{[]string{"tickets", "--db", db, "--now", "noon"}, `--at "noon" is not a date (2026-11-01) or an RFC 3339 time`},
		{[]string{"tickets", "--db", db, "--at", "noon"}, `--at "noon" is not a date (2026-11-01) or an RFC 3339 time`},
		{[]string{"tickets", "--db", db, "--colour"}, "unknown flag: --colour"},
		{[]string{"simulate", "--db", db, "--days", "0"}, "--days 0 is out of range"},
		{[]string{"simulate", "--db", db, "--tickets", "-1"}, "--tickets -1 is out of range"},
		{[]string{"simulate", "--db", db, "--end", "tomorrow"}, `--end "tomorrow" is not a date (2026-11-01) or an RFC 3339 time`},
		{[]string{"import", "--db", db}, "accepts 1 arg"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := runIn(t, tc.args...)
			wantOneLineError(t, r, 2, tc.want)
			if _, err := os.Stat(db); err == nil {
				t.Fatal("a refused command created the store")
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("[taxonomy]\ncolour = 1\n"), 0o600)
	r := runIn(t, "tickets", "--config", bad, "--db", filepath.Join(dir, "cx.db"))
	wantOneLineError(t, r, 1, "config "+bad+": unknown key taxonomy.colour")
	r = runIn(t, "tickets", "--config", filepath.Join(dir, "missing.toml"))
	wantOneLineError(t, r, 1, "missing.toml: no such file or directory")
}

func TestMissingStore(t *testing.T) {
	db := filepath.Join(t.TempDir(), "none.db")
	for _, cmd := range []string{"tickets", "export", "check"} {
		r := runIn(t, cmd, "--db", db)
		wantOneLineError(t, r, 1, "no store at this path: "+db)
		if _, err := os.Stat(db); err == nil {
			t.Fatalf("%s created the store", cmd)
		}
	}
}
