package engine

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
)

// TestRunner: the runner catches up at start, reacts to each committed
// batch (automations and the rules it touched), and returns when its
// context ends. Rounds are observed through a hook, not by waiting.
func TestRunner(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "cx.db"))
	defer s.Close()
	// An old open ticket before the start: the catch-up round sees it.
	if _, err := s.Write(ticket("OLD", now.Add(-11*24*time.Hour), model.StatusNew, time.Time{})); err != nil {
		t.Fatal(err)
	}
	rounds := make(chan struct{}, 16)
	r := &Runner{Store: s, Settings: alert.DefaultSettings(model.DefaultTaxonomy()), Interval: time.Hour,
		Now: func() time.Time { return now }, round: func() { rounds <- struct{}{} }}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- r.Run(ctx) }()
	wait := func() {
		t.Helper()
		select {
		case <-rounds:
		case <-time.After(10 * time.Second): // a hang guard, not a timing assertion
			t.Fatal("no round")
		}
	}
	wait()
	if a := find(t, s, "ticket_open_10d/OLD"); a == nil || a.State != alert.Firing {
		t.Fatalf("catch-up round: %+v", a)
	}
	// A detractor's answer: the next round makes its follow-up.
	detractor := nps(0, 0, 1, now.Add(-time.Hour))
	if _, err := s.Write(detractor); err != nil {
		t.Fatal(err)
	}
	for {
		wait()
		if _, err := s.Ticket(alert.FollowUpPrefix + detractor[0].ID()); err == nil {
			break
		}
	}
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}
