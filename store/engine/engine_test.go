package engine

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
)

var now = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func open(t *testing.T, path string) *store.Store {
	t.Helper()
	s, err := store.Open(path, store.Options{Create: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func states(t *testing.T, s *store.Store) map[string]string {
	t.Helper()
	list, err := s.Alerts(true)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, a := range list {
		out[a.Key] = a.State
	}
	return out
}

// TestAlertsSurviveRestartAndResolve: SLA compliance and a ticket open
// past 10 days fire; the alerts survive reopening the store, are not
// duplicated by a second evaluation, can be acknowledged, and resolve when
// the data recovers.
func TestAlertsSurviveRestartAndResolve(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cx.db")
	s := open(t, path)
	var recs []model.Record
	mk := func(id string, created time.Time, resolved time.Time, due time.Duration) *model.Ticket {
		tk := &model.Ticket{ID: id, Status: model.StatusNew, Type: "complaint", Source: "email", Priority: model.PriorityHigh,
			CreatedAt: created, SLADueAt: created.Add(due)}
		if !resolved.IsZero() {
			tk.Status, tk.ResolvedAt = model.StatusDone, resolved
		}
		return tk
	}
	// Yesterday: 10 tickets resolved, 3 after their SLA → 70% compliance.
	for i := 0; i < 10; i++ {
		created := now.Add(-20 * time.Hour)
		due := 24 * time.Hour
		if i < 3 {
			due = time.Hour
		}
		recs = append(recs, model.Record{Ticket: mk(fmt.Sprintf("T%02d", i), created, created.Add(5*time.Hour), due)})
	}
	old := mk("OLD", now.Add(-11*24*time.Hour), time.Time{}, 24*time.Hour)
	recs = append(recs, model.Record{Ticket: old})
	if _, err := s.Write(recs); err != nil {
		t.Fatal(err)
	}
	n, err := Evaluate(s, alert.DefaultRules(), now)
	if err != nil || n != 2 {
		t.Fatalf("first evaluation changed %d alerts (%v), want 2", n, err)
	}
	s.Close()

	s = open(t, path)
	defer s.Close()
	want := map[string]string{"sla_compliance_low": alert.Firing, "ticket_open_10d/OLD": alert.Firing}
	if got := states(t, s); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after restart: %v, want %v", got, want)
	}
	if n, _ := Evaluate(s, alert.DefaultRules(), now.Add(10*time.Minute)); n != 0 {
		t.Fatalf("a second evaluation changed %d alerts: dedupe failed", n)
	}
	if _, err := s.AckAlert("sla_compliance_low", "lan", now); err != nil {
		t.Fatal(err)
	}
	// The old ticket is resolved; a day later the SLA window is empty
	// (no data neither fires nor resolves), so add good resolutions.
	done := *old
	done.Status, done.ResolvedAt = model.StatusDone, now.Add(time.Hour)
	good := []model.Record{{Ticket: &done}}
	for i := 0; i < 10; i++ {
		good = append(good, model.Record{Ticket: mk(fmt.Sprintf("G%02d", i), now.Add(5*time.Hour), now.Add(6*time.Hour), 24*time.Hour)})
	}
	if _, err := s.Write(good); err != nil {
		t.Fatal(err)
	}
	if _, err := Evaluate(s, alert.DefaultRules(), now.Add(28*time.Hour)); err != nil {
		t.Fatal(err)
	}
	want = map[string]string{"sla_compliance_low": alert.Resolved, "ticket_open_10d/OLD": alert.Resolved}
	if got := states(t, s); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after recovery: %v, want %v", got, want)
	}
	if active, _ := s.Alerts(false); len(active) != 0 {
		t.Fatalf("active alerts after recovery: %+v", active)
	}
}
