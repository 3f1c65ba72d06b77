package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/tui"
)

// pastSnapshot takes a snapshot of db recorded as taken at `at`, as a
// snapshot taken then would be.
func pastSnapshot(t *testing.T, db, out string, at time.Time) {
	t.Helper()
	s, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Snapshot(out, store.SnapshotOptions{Now: func() time.Time { return at }, Version: "test"}); err != nil {
		t.Fatal(err)
	}
}

// newestOpenTicket is the open ticket of db created last before at.
func newestOpenTicket(t *testing.T, db string, at time.Time) (id string, created time.Time) {
	t.Helper()
	r := cxtop(t, nil, "tickets", "--db", db, "--json", "--limit", "1000", "--now", at.Format(time.RFC3339))
	var ts []struct {
		ID        string    `json:"id"`
		Status    string    `json:"status"`
		CreatedAt time.Time `json:"created_at"`
	}
	if err := json.Unmarshal([]byte(r.out), &ts); err != nil {
		t.Fatalf("tickets --json: %v: %s", err, r.errOut)
	}
	for _, tk := range ts {
		if tk.CreatedAt.Before(at) && tk.CreatedAt.After(created) {
			id, created = tk.ID, tk.CreatedAt
		}
	}
	if id == "" {
		t.Fatal("no open ticket")
	}
	return id, created
}

// TestOpenSnapshotInTmux opens a snapshot taken when its history ended,
// a month before today: the banner says so, a ticket's age is counted to
// the snapshot's time (not to now), and a triage key says read-only and
// writes nothing.
func TestOpenSnapshotInTmux(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	at, _ := time.Parse(time.RFC3339, simEnd)
	snap := filepath.Join(dir, "snap.db")
	pastSnapshot(t, db, snap, at)
	before := cxtop(t, nil, "export", "--db", snap).out
	id, created := newestOpenTicket(t, snap, at)
	age := tui.ShortDuration(at.Sub(created))

	s := startTmux(t, 160, 40, "open", snap)
	scr := s.waitFor("SNAPSHOT of " + db + " taken 2026-11-01 00:00Z")
	if !strings.Contains(scr, "as of 2026-11-01 00:00Z") {
		t.Fatalf("the status bar does not give the console's time:\n%s", scr)
	}
	s.keys("/")
	s.waitFor("enter searches, esc cancels")
	s.keys("-l", id)
	s.keys("Enter")
	scr = s.waitFor(`search "` + id + `"`)
	row := ""
	for _, l := range strings.Split(scr, "\n") {
		if strings.Contains(l, id) && !strings.Contains(l, "search") {
			row = l
		}
	}
	if !strings.Contains(" "+strings.Join(strings.Fields(row), " ")+" ", " "+age+" ") {
		t.Fatalf("row of %s should show its age at the snapshot, %s:\n%s", id, age, scr)
	}
	s.keys("e")
	s.waitFor("read-only")
	s.keys("q")
	if after := cxtop(t, nil, "export", "--db", snap).out; after != before {
		t.Fatal("the snapshot changed")
	}
}

func TestOpenRefusesAStore(t *testing.T) {
	db := simulated(t, t.TempDir())
	wantOneLineError(t, cxtop(t, nil, "open", db), 1, "is a store, not a snapshot")
	wantOneLineError(t, cxtop(t, nil, "open", filepath.Join(t.TempDir(), "none.db")), 1, "none.db")
	wantOneLineError(t, runIn(t, "--at", "yesterday"), 2, `--at "yesterday" is not a date (2026-11-01) or an RFC 3339 time`)
}
