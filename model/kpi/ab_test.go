package kpi

import (
	"math"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
)

func TestNormalCDF(t *testing.T) {
	// Reference values of Φ (tables; the tail one shows no cancellation).
	for _, tc := range []struct{ x, want float64 }{
		{0, 0.5}, {1, 0.8413447460685429}, {1.96, 0.9750021048517795},
		{-1.96, 0.024997895148220435}, {-8, 6.220960574271819e-16},
	} {
		if got := NormalCDF(tc.x); math.Abs(got-tc.want) > 1e-12*tc.want {
			t.Errorf("Φ(%g) = %g, want %g", tc.x, got, tc.want)
		}
	}
}

func TestTwoProportionZ(t *testing.T) {
	for _, tc := range []struct {
		x1, n1, x2, n2 int64
		z, p           float64
		ok             bool
	}{
		{50, 100, 40, 100, 1.4213381090374024, 0.1552184896846842, true},
		{800, 1000, 700, 1000, 5.163977794943227, 2.417563881118969e-07, true},
		{100, 1000, 120, 1000, -1.4293008498232314, 0.1529177818639462, true},
		{30, 40, 10, 40, 4.47213595499958, 7.744216431044096e-06, true},
		{0, 0, 10, 40, 0, 0, false},   // an empty sample
		{40, 40, 10, 10, 0, 0, false}, // every trial a success: no variance
	} {
		z, p, ok := TwoProportionZ(tc.x1, tc.n1, tc.x2, tc.n2)
		if ok != tc.ok || math.Abs(z-tc.z) > 1e-12 || math.Abs(p-tc.p) > 1e-12*math.Max(tc.p, 1e-3) {
			t.Errorf("TwoProportionZ(%d/%d, %d/%d) = %v, %v, %v; want %v, %v, %v", tc.x1, tc.n1, tc.x2, tc.n2, z, p, ok, tc.z, tc.p, tc.ok)
		}
	}
}

func TestABWinsNeedLiftAndSignificance(t *testing.T) {
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	w, _ := NewWindow(at, 24*time.Hour)
	from, _ := w.Hours()
	src := fakeSource{}
	forms := func(v string, started, completed int64) {
		src.add(model.Dim("ev."+model.EventFormStarted, "variant", v), from, started)
		src.add(model.Dim("ev."+model.EventFormCompleted, "variant", v), from, completed)
	}
	forms("A", 1000, 500) // control: 50 %
	forms("B", 1000, 600) // +20 %, p ≈ 7e-6: wins
	forms("C", 1000, 540) // +8 %, significant-ish but too small: no
	forms("D", 20, 13)    // +30 % on 20 sessions: not significant
	got := AB(src, w, "A", ABVariants([]string{"ev.form_started|variant=D", "ev.form_started|variant=A", "ev.form_started|variant=B", "ev.form_started|variant=C"}))
	if len(got) != 4 || got[0].Name != "A" || !got[0].Control || got[0].Lift != nil {
		t.Fatalf("control first, without lift: %+v", got)
	}
	for i, want := range []struct {
		name string
		lift float64
		wins bool
	}{{"B", 0.2, true}, {"C", 0.08, false}, {"D", 0.3, false}} {
		v := got[i+1]
		if v.Name != want.name || v.Lift == nil || math.Abs(*v.Lift-want.lift) > 1e-12 || v.Wins != want.wins || v.PValue == nil {
			t.Errorf("variant %+v, want %s lift %g wins %v", v, want.name, want.lift, want.wins)
		}
	}
	if _, p, _ := TwoProportionZ(600, 1000, 500, 1000); *got[1].PValue != p {
		t.Errorf("B's p-value %v, want %v", *got[1].PValue, p)
	}
	if none := AB(src, w, "Z", nil); len(none) != 1 || none[0].Rate != nil {
		t.Errorf("a control without sessions: %+v", none)
	}
}
