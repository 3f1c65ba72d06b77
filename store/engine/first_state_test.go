package engine

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store"
)

// writeHistory adds 80 days of answers and digital logins to the
// engine's store, so every window's reports and trends hold data.
func writeHistory(t *testing.T, e *Engine) {
	t.Helper()
	var recs []model.Record
	for d := 0; d < 80; d++ {
		at := now.Add(-time.Duration(d)*24*time.Hour - 3*time.Hour)
		cust := fmt.Sprintf("C%d", d%7)
		recs = append(recs,
			model.Record{Feedback: &model.Feedback{ID: fmt.Sprintf("F%d", d), Survey: model.SurveyCSAT, Score: 1 + d%5, At: at, CustomerID: cust}},
			model.Record{Event: &model.Event{ID: fmt.Sprintf("E%d", d), Type: model.EventDigitalLogin, At: at.Add(time.Hour), CustomerID: cust}})
	}
	if _, err := e.st.Write(recs); err != nil {
		t.Fatal(err)
	}
}

// TestFirstStateThenEveryWindow: the engine's first state holds the
// windows a first frame shows (the first window, the KPIs' own) and lists
// the others as computing; the state right after it holds them all, each
// equal to a full computation, and what the first held is unchanged.
func TestFirstStateThenEveryWindow(t *testing.T) {
	s := gateStore(t)
	e := New(s, Options{NoRules: true, Now: func() time.Time { return now }})
	writeHistory(t, e)
	longest := DefaultWindows[len(DefaultWindows)-1]
	if got := firstWindows(DefaultWindows, e.opt.KPIs); slices.Contains(got, longest) || !slices.Contains(got, DefaultWindows[0]) {
		t.Fatalf("first windows %v: want the first window and the KPIs' own, not %s", got, longest)
	}

	first := e.computeOver(nil, true, true, firstWindows(DefaultWindows, e.opt.KPIs))
	if first.Complete() || !first.IsComputing(longest) || first.IsComputing(DefaultWindows[0]) {
		t.Fatalf("first state computing %v", first.Computing)
	}
	if _, ok := first.Trends[longest]; ok {
		t.Fatalf("the first state holds the %s trends it lists as computing", longest)
	}
	if len(first.Own.KPIs) != len(e.opt.KPIs) || first.Open != 1 || first.Active != 1 {
		t.Fatalf("first state: %d own KPIs, %d open, %d active alerts", len(first.Own.KPIs), first.Open, first.Active)
	}

	after := withWindows(e.Reader(), first, e.opt.KPIs, first.Gen+2, first.At)
	if !after.Complete() || after.DataGen != first.Gen+2 || after.At != first.At {
		t.Fatalf("after: computing %v, data gen %d (first %d), at %v", after.Computing, after.DataGen, first.DataGen, after.At)
	}
	full := e.compute(nil, true, true)
	for _, span := range DefaultWindows {
		for id, want := range full.Trends[span].Series {
			if got := after.Trends[span].Series[id]; !sameSeries(got, want) {
				t.Fatalf("%s %s: %v, in full %v", span, id, values(got), values(want))
			}
		}
		got, want := after.Reports[span], full.Reports[span]
		if len(got.KPIs) != len(want.KPIs) || got.Window != want.Window {
			t.Fatalf("%s report: %d KPIs over %v, in full %d over %v", span, len(got.KPIs), got.Window, len(want.KPIs), want.Window)
		}
		for i := range want.KPIs {
			if !sameSeries([]*float64{got.KPIs[i].Value}, []*float64{want.KPIs[i].Value}) {
				t.Fatalf("%s %s: %v, in full %v", span, want.KPIs[i].ID, values([]*float64{got.KPIs[i].Value}), values([]*float64{want.KPIs[i].Value}))
			}
		}
	}
	if v := after.Reports[longest].KPIs; len(v) == 0 || v[0].Value == nil {
		t.Fatalf("the %s report has no CSAT: the history did not reach it", longest)
	}
	if _, ok := first.Trends[longest]; ok {
		t.Fatal("completing the state changed the first one's trends")
	}
}

// TestEnginePublishesTheRestRightAfter: a started engine publishes the
// first state and, with nothing committed, a complete one right after it
// (the second state), which sessions subscribing later get at once.
func TestEnginePublishesTheRestRightAfter(t *testing.T) {
	s := gateStore(t)
	e := startEngine(t, s, Options{NoRules: true})
	sub := e.Subscribe()
	st := complete(t, sub)
	if st.Gen != 2 || len(st.Trends) != len(DefaultWindows) || len(st.Reports) != len(DefaultWindows) {
		t.Fatalf("the complete state is gen %d with %d trends, %d reports; want gen 2 (after the first) with all %d",
			st.Gen, len(st.Trends), len(st.Reports), len(DefaultWindows))
	}
	if late := e.Subscribe(); next(t, late) != st {
		t.Fatal("a later subscriber did not get the complete state")
	}
}

// plainRollups hides the rollups' one-pass reads (Series): every sum is
// read on its own, as a trend line read them before.
type plainRollups struct{ r *store.Rollups }

func (p plainRollups) Sum(m string, from, to uint32) int64 { return p.r.Sum(m, from, to) }
func (p plainRollups) BySuffix(m string, from, to uint32) map[string]int64 {
	return p.r.BySuffix(m, from, to)
}
func (p plainRollups) DistinctSuffixes(m string, from, to uint32) int {
	return p.r.DistinctSuffixes(m, from, to)
}

// TestTrendLinesEqualSumsReadOneByOne: every KPI's trend line over every
// window, read with each metric once a line, equals the line read one sum
// at a time.
func TestTrendLinesEqualSumsReadOneByOne(t *testing.T) {
	s := gateStore(t)
	e := New(s, Options{NoRules: true, Now: func() time.Time { return now }})
	writeHistory(t, e)
	points := 0
	err := s.ViewRollups(func(r *store.Rollups) error {
		for _, span := range DefaultWindows {
			w, err := kpi.NewWindow(now, span)
			if err != nil {
				return err
			}
			got := kpi.Series(r, w, trendPoints(span), e.opt.KPIs)
			want := kpi.Series(plainRollups{r}, w, trendPoints(span), e.opt.KPIs)
			for id := range want {
				if !sameSeries(got[id], want[id]) {
					t.Errorf("%s %s: %v, one sum at a time %v", span, id, values(got[id]), values(want[id]))
				}
			}
			for _, p := range got["csat"] {
				if p != nil {
					points++
				}
			}
		}
		return nil
	})
	if points < 10 {
		t.Fatalf("%d CSAT points in all the lines: the history does not reach them", points)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestFirstStateHoldsTheFirstRowsThenAll: the first state holds the first
// FirstRows queue rows and alerts (what a first frame draws), in the order
// of the full ones, with every open ticket and active alert counted; the
// state right after it holds the full head and list, as a full
// computation reads them, with the alert list's generation moved.
func TestFirstStateHoldsTheFirstRowsThenAll(t *testing.T) {
	s := gateStore(t)
	const n = FirstRows + 20
	var recs []model.Record
	for i := 0; i < n; i++ {
		created := now.Add(-time.Duration(i+2) * time.Hour)
		recs = append(recs, model.Record{Ticket: &model.Ticket{ID: fmt.Sprintf("T1%07d", i), Subject: "late", Status: model.StatusNew,
			Type: "complaint", SubType: "late_delivery", Source: "email", Priority: model.PriorityNormal,
			CreatedAt: created, UpdatedAt: created, SLADueAt: created.Add(24 * time.Hour), Version: 1}})
	}
	if _, err := s.Write(recs); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(func(w *store.Writer) error {
		for i := 0; i < n; i++ {
			at := now.Add(-time.Duration(i+2) * time.Minute)
			if err := w.PutAlert(alert.Alert{Key: fmt.Sprintf("k%d", i), Rule: "r", Severity: alert.Warning, State: alert.Firing,
				Message: "m", FiredAt: at, UpdatedAt: at}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	e := New(s, Options{NoRules: true, Now: func() time.Time { return now }})
	first := e.computeOver(nil, true, true, firstWindows(DefaultWindows, e.opt.KPIs))
	full := e.compute(nil, true, true)
	if first.Err != nil || full.Err != nil {
		t.Fatal(first.Err, full.Err)
	}
	if len(first.Queue) != FirstRows || len(first.Alerts) != FirstRows || first.Open != full.Open || first.Active != full.Active {
		t.Fatalf("first state: %d queue rows of %d open, %d alerts of %d active; want %d rows, %d open, %d active",
			len(first.Queue), first.Open, len(first.Alerts), first.Active, FirstRows, full.Open, full.Active)
	}
	if len(full.Queue) != n+1 || len(full.Alerts) != n+1 {
		t.Fatalf("full state: %d queue rows, %d alerts; want %d each", len(full.Queue), len(full.Alerts), n+1)
	}
	later := now.Add(time.Minute)
	after := withWindows(e.Reader(), first, e.opt.KPIs, 7, later)
	if after.AlertsGen != 7 || after.DataGen != 7 || !after.At.Equal(later) || after.firstRows || after.Err != nil {
		t.Fatalf("after: alerts gen %d, data gen %d (want 7), at %v (want %v), first rows %v, err %v",
			after.AlertsGen, after.DataGen, after.At, later, after.firstRows, after.Err)
	}
	for _, c := range []struct {
		name              string
		first, after, all []string
	}{
		{"queue", ticketIDs(first.Queue), ticketIDs(after.Queue), ticketIDs(full.Queue)},
		{"alerts", alertKeys(first.Alerts), alertKeys(after.Alerts), alertKeys(full.Alerts)},
	} {
		if !slices.Equal(c.after, c.all) || !slices.Equal(c.first, c.all[:len(c.first)]) {
			t.Fatalf("%s: first %v, after %v, full %v", c.name, c.first, c.after, c.all)
		}
	}
}

func ticketIDs(ts []*model.Ticket) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

func alertKeys(as []alert.Alert) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Key)
	}
	return out
}
