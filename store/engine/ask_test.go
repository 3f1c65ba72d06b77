package engine

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
)

// TestEvaluateAsksTheEnginesRunner: Evaluate makes the engine's own runner
// run a full round as of the engine's clock, and returns once its alerts
// are stored: a ticket that grew past 10 days with the clock alone fires
// without waiting for the runner's timer. An engine that runs no rules
// says so.
func TestEvaluateAsksTheEnginesRunner(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "cx.db"))
	defer s.Close()
	if _, err := s.Write(ticket("AGING", now.Add(-9*24*time.Hour), model.StatusNew, time.Time{})); err != nil {
		t.Fatal(err)
	}
	var clock atomic.Int64
	clock.Store(now.UnixNano())
	e := startEngine(t, s, Options{Now: func() time.Time { return time.Unix(0, clock.Load()).UTC() }, RuleInterval: time.Hour})
	// The first round (at start) sees a 9-day-old ticket: no alert.
	if err := e.Evaluate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if a := find(t, s, "ticket_open_10d/AGING"); a != nil {
		t.Fatalf("a 9-day-old ticket fired: %+v", a)
	}
	clock.Store(now.Add(2 * 24 * time.Hour).UnixNano())
	if err := e.Evaluate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if a := find(t, s, "ticket_open_10d/AGING"); a == nil || a.State != alert.Firing {
		t.Fatalf("after Evaluate at 11 days: %+v", a)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := e.Evaluate(ctx); err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Evaluate: %v", err)
	}
	viewer := startEngine(t, gateStore(t), Options{NoRules: true})
	if err := viewer.Evaluate(context.Background()); !errors.Is(err, ErrNotRunning) {
		t.Errorf("an engine without rules: %v, want ErrNotRunning", err)
	}
}
