package engine

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store"
)

// next waits for the subscription's next state (a hang guard, not a
// timing assertion).
func next(t *testing.T, sub *Subscription) *State {
	t.Helper()
	select {
	case st, ok := <-sub.C:
		if !ok {
			t.Fatal("the subscription closed")
		}
		return st
	case <-time.After(10 * time.Second):
		t.Fatal("no state")
		return nil
	}
}

// complete waits for the subscription's first state that holds every
// window (the first may hold only what a first frame shows).
func complete(t *testing.T, sub *Subscription) *State {
	t.Helper()
	st := next(t, sub)
	for !st.Complete() {
		st = next(t, sub)
	}
	return st
}

func startEngine(t *testing.T, s *store.Store, opt Options) *Engine {
	t.Helper()
	if opt.Now == nil {
		opt.Now = func() time.Time { return now }
	}
	e := New(s, opt)
	e.Start(context.Background())
	t.Cleanup(func() { e.Close() })
	return e
}

// TestStateFollowsCommits: a subscriber gets the current state at once,
// then a state after a commit that holds the commit (queue, count, KPIs),
// with a larger generation; the alert list is read again only after a
// commit that wrote an alert.
func TestStateFollowsCommits(t *testing.T) {
	s := gateStore(t)
	e := startEngine(t, s, Options{NoRules: true, Coalesce: time.Millisecond})
	sub := e.Subscribe()
	first := complete(t, sub)
	if first.Open != 1 || len(first.Queue) != 1 || first.Active != 1 || len(first.Reports) != len(DefaultWindows) {
		t.Fatalf("first state: open %d, queue %d, active alerts %d, %d reports", first.Open, len(first.Queue), first.Active, len(first.Reports))
	}
	if r := first.Reports[24*time.Hour]; r.Window.Length != 24*time.Hour || len(r.KPIs) == 0 {
		t.Fatalf("24h report: %+v", r.Window)
	}
	if tr := first.Trends[7*24*time.Hour]; len(tr.Series["csat"]) != TrendPoints || tr.Step != time.Hour {
		t.Fatalf("7d trend: %d points of %s", len(tr.Series["csat"]), tr.Step)
	}
	if _, err := s.Write(ticket("T2", now.Add(-20*24*time.Hour), model.StatusNew, time.Time{})); err != nil {
		t.Fatal(err)
	}
	st := next(t, sub)
	if st.Gen <= first.Gen || st.Open != 2 || len(st.Queue) != 2 || st.DataGen != st.Gen {
		t.Fatalf("after a commit: gen %d (was %d), open %d, %d in the head, data gen %d", st.Gen, first.Gen, st.Open, len(st.Queue), st.DataGen)
	}
	if st.AlertsGen != first.AlertsGen {
		t.Fatalf("the alert list was read again after a commit without alerts")
	}
	if _, err := s.AckAlert("csat_drop", "lan", now); err != nil {
		t.Fatal(err)
	}
	st = next(t, sub)
	if st.AlertsGen == first.AlertsGen || st.Alerts[0].State != alert.Acknowledged {
		t.Fatalf("after an ack: alerts gen %d (was %d), %+v", st.AlertsGen, first.AlertsGen, st.Alerts)
	}
}

// TestSlowSubscriberSkipsToTheLatest: a subscriber that reads nothing
// while many states are published finds one waiting, the latest, and the
// engine went on publishing meanwhile (it never waited for it).
func TestSlowSubscriberSkipsToTheLatest(t *testing.T) {
	s := gateStore(t)
	e := startEngine(t, s, Options{NoRules: true, Coalesce: time.Millisecond})
	slow := e.Subscribe()
	fast := e.Subscribe()
	next(t, fast)
	for i := 0; i < 5; i++ {
		if _, err := s.Write(ticket(fmt.Sprintf("N%d", i), now.Add(-time.Hour), model.StatusNew, time.Time{})); err != nil {
			t.Fatal(err)
		}
		for st := next(t, fast); st.Open < 2+i; st = next(t, fast) {
		}
	}
	// The fast subscriber was handed the last state inside publish, which
	// holds subsMu until every subscriber has it.
	e.subsMu.Lock()
	e.subsMu.Unlock()
	if len(slow.C) != 1 {
		t.Fatalf("the slow subscriber holds %d states, want 1", len(slow.C))
	}
	if st := next(t, slow); st != e.State() || st.Open != 6 {
		t.Fatalf("the slow subscriber's state is gen %d with %d open; the latest is gen %d", st.Gen, st.Open, e.State().Gen)
	}
	slow.Cancel()
	if _, ok := <-slow.C; ok {
		t.Fatal("a cancelled subscription is still open")
	}
}

// TestBurstOfCommitsIsComputedOnce: commits that arrive within the
// coalescing interval cost one computation, not one each.
func TestBurstOfCommitsIsComputedOnce(t *testing.T) {
	s := gateStore(t)
	e := startEngine(t, s, Options{NoRules: true, Coalesce: time.Hour})
	sub := e.Subscribe()
	before := complete(t, sub).Gen
	for i := 0; i < 20; i++ {
		if _, err := s.Write(ticket(fmt.Sprintf("B%d", i), now.Add(-time.Hour), model.StatusNew, time.Time{})); err != nil {
			t.Fatal(err)
		}
	}
	// The first commit after a quiet start may be computed at once; the
	// rest wait for the interval (an hour): at most one state more.
	time.Sleep(100 * time.Millisecond)
	if n := e.State().Gen - before; n > 1 {
		t.Fatalf("20 commits inside the interval made %d states", n)
	}
}

// TestLeadEngineRunsTheRulesAndSaysWhen: an engine that may write runs the
// rules and automations (a lead console without a remote too) and says
// when they last ran; a read-only one runs none.
func TestLeadEngineRunsTheRulesAndSaysWhen(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "cx.db"))
	defer s.Close()
	if _, err := s.Write(ticket("OLD", now.Add(-11*24*time.Hour), model.StatusNew, time.Time{})); err != nil {
		t.Fatal(err)
	}
	e := startEngine(t, s, Options{Coalesce: time.Millisecond})
	sub := e.Subscribe()
	var st *State
	for st = next(t, sub); st.Evaluated.IsZero() || st.Active == 0; st = next(t, sub) {
	}
	if !st.Rules || !st.Evaluated.Equal(now) || st.Alerts[0].Key != "ticket_open_10d/OLD" {
		t.Fatalf("rules %v, evaluated %s, alerts %+v", st.Rules, st.Evaluated, st.Alerts)
	}
	ro := New(s, Options{ReadOnly: true, Now: func() time.Time { return now }})
	if ro.runsRules() || ro.CanWrite() {
		t.Fatal("a read-only engine would run the rules")
	}
}

// TestTrendsAfterACommitEqualAFullComputation: after a commit the trends
// keep their points but the last, read again; they equal the series read
// in full.
func TestTrendsAfterACommitEqualAFullComputation(t *testing.T) {
	s := gateStore(t)
	e := startEngine(t, s, Options{NoRules: true, Coalesce: time.Millisecond})
	sub := e.Subscribe()
	first := complete(t, sub)
	// A CSAT answer in the last hour the windows cover (now is on the hour).
	fb := &model.Feedback{ID: "F9", Survey: model.SurveyCSAT, Score: 5, At: now.Add(-30 * time.Minute), CustomerID: "C1"}
	if _, err := s.Write([]model.Record{{Feedback: fb}}); err != nil {
		t.Fatal(err)
	}
	st := next(t, sub)
	k, err := computeKPIs(e.Reader(), now, DefaultWindows, e.opt.KPIs, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	full := k.trends
	for _, span := range DefaultWindows {
		got, want := st.Trends[span].Series, full[span].Series
		for id := range want {
			if !sameSeries(got[id], want[id]) {
				t.Fatalf("%s %s after a commit: %v, in full: %v", span, id, values(got[id]), values(want[id]))
			}
		}
	}
	csat := st.Trends[24*time.Hour].Series["csat"]
	if last := csat[len(csat)-1]; last == nil || *last != 1 || first.Trends[24*time.Hour].Series["csat"][len(csat)-1] != nil {
		t.Fatalf("the last CSAT point is %v, want 100%% (and none before)", values(csat[len(csat)-1:]))
	}
}

func sameSeries(a, b []*float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if (a[i] == nil) != (b[i] == nil) || a[i] != nil && *a[i] != *b[i] {
			return false
		}
	}
	return true
}

func values(s []*float64) []any {
	out := make([]any, len(s))
	for i, p := range s {
		if p != nil {
			out[i] = *p
		}
	}
	return out
}

// TestOwnEqualsComputeDefault: every KPI over its own window, as the state
// carries it (taken from the windows' reports where it can), equals
// kpi.ComputeDefault, as `cxtop kpi` reads it.
func TestOwnEqualsComputeDefault(t *testing.T) {
	s := gateStore(t)
	if _, err := s.Write([]model.Record{{Feedback: &model.Feedback{ID: "F9", Survey: model.SurveyCSAT, Score: 4,
		At: now.Add(-3 * 24 * time.Hour), CustomerID: "C1"}}}); err != nil {
		t.Fatal(err)
	}
	e := startEngine(t, s, Options{NoRules: true})
	var want kpi.Report
	if err := s.ViewRollups(func(r *store.Rollups) (err error) {
		want, err = kpi.ComputeDefault(r, now, e.opt.KPIs)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	got := e.State().Own
	if len(got.KPIs) != len(want.KPIs) || got.Window != want.Window {
		t.Fatalf("own: %d KPIs over %v, want %d over %v", len(got.KPIs), got.Window, len(want.KPIs), want.Window)
	}
	for i := range want.KPIs {
		g, w := got.KPIs[i], want.KPIs[i]
		if g.ID != w.ID || g.Window != w.Window || g.Status != w.Status || !sameSeries([]*float64{g.Value}, []*float64{w.Value}) {
			t.Errorf("%s: %v over %v (%s), want %v over %v (%s)", w.ID, values([]*float64{g.Value}), g.Window, g.Status,
				values([]*float64{w.Value}), w.Window, w.Status)
		}
	}
}
