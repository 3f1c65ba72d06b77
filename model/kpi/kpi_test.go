package kpi

import (
	"math"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
)

// fakeSource holds counters per metric and hour.
type fakeSource map[string]map[uint32]int64

func (f fakeSource) Sum(metric string, from, to uint32) int64 {
	var n int64
	for h, v := range f[metric] {
		if h >= from && h < to {
			n += v
		}
	}
	return n
}

func (f fakeSource) BySuffix(metric string, from, to uint32) map[string]int64 {
	out := map[string]int64{}
	for h, v := range f[metric] {
		if h >= from && h < to && v != 0 {
			out[string(rune('a'+h%26))] += v
		}
	}
	return out
}

func (f fakeSource) add(metric string, hour uint32, n int64) {
	if f[metric] == nil {
		f[metric] = map[uint32]int64{}
	}
	f[metric][hour] += n
}

func TestWindow(t *testing.T) {
	at := time.Date(2026, 11, 1, 10, 42, 0, 0, time.UTC)
	w, err := NewWindow(at, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	from, to := w.Hours()
	if to != model.HourOf(time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)) || to-from != 24 {
		t.Fatalf("hours [%d, %d)", from, to)
	}
	pf, pt := w.Previous().Hours()
	if pt != from || pt-pf != 24 {
		t.Fatalf("previous [%d, %d)", pf, pt)
	}
	for _, bad := range []time.Duration{0, 30 * time.Minute, 90 * time.Minute, 366 * 24 * time.Hour} {
		if _, err := NewWindow(at, bad); err == nil {
			t.Errorf("window %s accepted", bad)
		}
	}
}

func TestStatus(t *testing.T) {
	higher := Def{Target: 0.85, Margin: 0.03}
	lower := Def{Dir: LowerIsBetter, Target: 24, Margin: 6}
	f := func(x float64) *float64 { return &x }
	for _, tc := range []struct {
		d    Def
		v    *float64
		want string
	}{
		{higher, f(0.85), StatusOK}, {higher, f(0.83), StatusWarn}, {higher, f(0.80), StatusBreach},
		{lower, f(20), StatusOK}, {lower, f(29), StatusWarn}, {lower, f(31), StatusBreach},
		{higher, nil, StatusNone}, {Def{Dir: NoDirection}, f(3), StatusNone},
	} {
		if got := status(tc.d, tc.v); got != tc.want {
			t.Errorf("status(%+v, %v) = %q, want %q", tc.d, tc.v, got, tc.want)
		}
	}
}

func TestComputeFormulas(t *testing.T) {
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	w, _ := NewWindow(at, 2*time.Hour)
	from, _ := w.Hours()
	src := fakeSource{}
	// In the window: CSAT 5,5,4,2 → 75 %; NPS 10,9,3,7 → (2−1)/4 = +25.
	for _, s := range []int{5, 5, 4, 2} {
		src.add(model.FeedbackScoreMetric(model.SurveyCSAT, s), from, 1)
	}
	for _, s := range []int{10, 9, 3, 7} {
		src.add(model.FeedbackScoreMetric(model.SurveyNPS, s), from+1, 1)
	}
	// Before the window: one CSAT 5 (baseline 100 %), outside the current value.
	src.add(model.FeedbackScoreMetric(model.SurveyCSAT, 5), from-1, 1)
	src.add(model.MTicketResolved, from, 4)
	src.add(model.MTicketResolvedSec, from, 4*3600*10)
	src.add(model.MTicketCreated, from-5, 10)
	rep := Compute(src, w, Defs(), map[string]float64{"nps": 20})
	get := func(id string) Value { v, _ := rep.Find(id); return v }
	if v := get("csat"); v.Value == nil || *v.Value != 0.75 || v.N != 4 || *v.Baseline != 1 || math.Abs(*v.Delta+0.25) > 1e-12 || v.Status != StatusBreach {
		t.Errorf("csat %+v", v)
	}
	if v := get("nps"); v.Value == nil || *v.Value != 25 || v.Status != StatusOK || v.Target != 20 {
		t.Errorf("nps %+v (target overridden to 20)", v)
	}
	if v := get("handling_time_h"); v.Value == nil || *v.Value != 10 {
		t.Errorf("handling time %+v", v)
	}
	if v := get("backlog"); v.Value == nil || *v.Value != 6 || *v.Baseline != 10 {
		t.Errorf("backlog %+v", v)
	}
	if v := get("form_abandonment"); v.Value != nil || v.Status != StatusNone {
		t.Errorf("no forms: value should be nil, got %+v", v)
	}
}

func TestSeries(t *testing.T) {
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	w, _ := NewWindow(at, 4*time.Hour)
	from, _ := w.Hours()
	src := fakeSource{}
	src.add(model.FeedbackScoreMetric(model.SurveyCSAT, 5), from, 1)
	src.add(model.FeedbackScoreMetric(model.SurveyCSAT, 1), from+2, 1)
	src.add(model.FeedbackScoreMetric(model.SurveyCSAT, 5), from+2, 1)
	got := Series(src, w, 4, Defs())["csat"]
	if len(got) != 4 || got[0] == nil || *got[0] != 1 || got[1] != nil || *got[2] != 0.5 || got[3] != nil {
		t.Fatalf("csat series %v", got)
	}
	if SeriesStep(w, 4) != time.Hour {
		t.Fatal("step")
	}
}

// TestSeriesEndsAtTheWindowsEnd: when the slices do not divide the window,
// the newest hours are still in the last slice.
func TestSeriesEndsAtTheWindowsEnd(t *testing.T) {
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	w, _ := NewWindow(at, 7*24*time.Hour)
	_, to := w.Hours()
	src := fakeSource{}
	src.add(model.FeedbackScoreMetric(model.SurveyCSAT, 5), to-1, 1) // the newest hour
	got := Series(src, w, 34, Defs())["csat"]                        // 168 h / 34 → 4 h slices, 136 h
	if len(got) != 34 || got[33] == nil || *got[33] != 1 {
		t.Fatalf("the newest hour is not in the last of %d slices: %v", len(got), got)
	}
}
