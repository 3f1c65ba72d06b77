package engine

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
)

func alertsJSON(t *testing.T, s *store.Store, all bool) string {
	t.Helper()
	list, err := s.Alerts(all)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(list)
	return string(b)
}

// TestPreviewWritesNothing: a preview at another time says what the rules
// would do then (fire on a ticket that will have aged, resolve one that is
// done) and leaves the stored alerts and the store's commits as they were;
// a preview at the time of the stored state lists what the store lists.
func TestPreviewWritesNothing(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "cx.db"))
	day := 24 * time.Hour
	applyPage(t, s, []model.Record{
		ageTicket("A", 12*day, model.StatusNew), ageTicket("B", 8*day, model.StatusInProgress),
		ageTicket("C", 11*day, model.StatusInProgress),
	})
	rules := alert.DefaultRules()
	if _, err := Evaluate(s, rules, now); err != nil {
		t.Fatal(err)
	}
	applyPage(t, s, []model.Record{ageTicket("A", 12*day, model.StatusDone)})
	beforeAll, beforeActive := alertsJSON(t, s, true), alertsJSON(t, s, false)
	// bbolt rewrites a meta page on every commit: the file's modification
	// time says whether anything committed.
	fileTime := func() time.Time {
		fi, err := os.Stat(s.Path())
		if err != nil {
			t.Fatal(err)
		}
		return fi.ModTime()
	}
	mtime := fileTime()

	later := now.Add(3 * day) // B is 11 days old then; A is done
	got, err := Preview(s, rules, later, false)
	if err != nil {
		t.Fatal(err)
	}
	active := map[string]bool{}
	for _, a := range got {
		active[a.Key] = true
	}
	age := ""
	for _, r := range rules {
		if r.KPI == alert.TicketAgeDays {
			age = r.ID
		}
	}
	if !active[age+"/B"] || !active[age+"/C"] || active[age+"/A"] {
		t.Fatalf("preview at +3d: active %v, want B and C (A is done)", active)
	}
	if alertsJSON(t, s, true) != beforeAll || alertsJSON(t, s, false) != beforeActive || !fileTime().Equal(mtime) {
		t.Fatal("a preview changed the store")
	}

	// As of the stored state's own time, with nothing new to decide, a
	// preview lists what is stored, in the store's order.
	if n, err := Evaluate(s, rules, later); err != nil || n == 0 || fileTime().Equal(mtime) {
		t.Fatalf("evaluating at +3d: %d changes, %v, the file's time moved: %v", n, err, !fileTime().Equal(mtime))
	}
	for _, all := range []bool{false, true} {
		p, err := Preview(s, rules, later, all)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(p)
		if string(b) != alertsJSON(t, s, all) {
			t.Fatalf("all=%v: preview %s\nstored %s", all, b, alertsJSON(t, s, all))
		}
	}
}
