package kpi

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
)

func f64(x float64) *float64 { return &x }

func TestFromConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		err  string
	}{
		{"defaults", Config{}, ""},
		{"overrides", Config{Targets: map[string]Target{"csat": {Target: f64(0.9), Margin: f64(0.01)}, "nps": {Target: f64(40)}}}, ""},
		{"unknown id", Config{Targets: map[string]Target{"csatt": {Target: f64(0.9)}}}, "kpi.targets.csatt: no KPI has this id: use one of csat, "},
		{"volume", Config{Targets: map[string]Target{"backlog": {Target: f64(3)}}}, "kpi.targets.backlog: this KPI has no target"},
		{"negative margin", Config{Targets: map[string]Target{"nps": {Margin: f64(-1)}}}, "kpi.targets.nps.margin -1: use a margin ≥ 0"},
		{"negative cost", Config{ProgrammeCost: -5}, "kpi.programme_cost -5"},
		{"share", Config{BenefitShare: f64(1.5)}, "kpi.benefit_share 1.5: use a share from 0 to 1"},
	} {
		s, err := FromConfig(tc.cfg, ProgrammeConfig{})
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(s.Defs) != len(Defs()) || s.ABControl != "A" {
			t.Errorf("%s: %d defs, control %q", tc.name, len(s.Defs), s.ABControl)
		}
	}
	s, _ := FromConfig(Config{ABControl: "B", Targets: map[string]Target{"csat": {Target: f64(0.9), Margin: f64(0.01)}, "nps": {Target: f64(40)}}}, ProgrammeConfig{})
	for _, d := range s.Defs {
		switch d.ID {
		case "csat":
			if d.Target != 0.9 || d.Margin != 0.01 {
				t.Errorf("csat %+v", d)
			}
		case "nps":
			if d.Target != 40 || d.Margin != 5 {
				t.Errorf("nps: target overridden, margin kept: %+v", d)
			}
		}
	}
	if s.ABControl != "B" {
		t.Errorf("control %q", s.ABControl)
	}
}

// suffixSource is a Source with per-suffix counters, for the KPIs that
// count distinct suffixes.
type suffixSource struct {
	fakeSource
	suffixes map[string]map[string]uint32 // metric → suffix → hour
}

func (s suffixSource) BySuffix(metric string, from, to uint32) map[string]int64 {
	out := map[string]int64{}
	for suffix, h := range s.suffixes[metric] {
		if h >= from && h < to {
			out[suffix]++
		}
	}
	return out
}

func TestNewKPIFormulas(t *testing.T) {
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	w, _ := NewWindow(at, 24*time.Hour)
	from, _ := w.Hours()
	src := suffixSource{fakeSource{}, map[string]map[string]uint32{
		// Two failures in the window (T1 counted once), one before it.
		model.MResolutionFailed: {"T1": from + 1, "T2": from + 3, "T9": from - 2},
	}}
	src.add(model.MTicketResolved, from, 8)
	src.add(model.MTicketResolved, from-1, 1)
	// Post-resolution CSAT 5, 4, 1 → 2/3; a transactional 1 does not count.
	for _, s := range []int{5, 4, 1} {
		src.add(model.Dim(model.FeedbackScoreMetric(model.SurveyCSAT, s), "kind", model.KindPostResolution), from, 1)
		src.add(model.FeedbackScoreMetric(model.SurveyCSAT, s), from, 1)
	}
	src.add(model.FeedbackScoreMetric(model.SurveyCSAT, 1), from, 1)
	// Digital revenue 3,000,000 in 24 h; cost 3,650,000/year → 10,000 for 24 h.
	src.add(model.Dim(model.MPurchaseAmount, "digital", "true"), from+2, 3_000_000)
	src.add(model.Dim("ev."+model.EventPurchase, "digital", "true"), from+2, 4)
	s, _ := FromConfig(Config{ProgrammeCost: 3_650_000, BenefitShare: f64(0.01)}, ProgrammeConfig{})
	rep := Compute(src, w, s.Defs, nil)
	get := func(id string) Value { v, _ := rep.Find(id); return v }
	if v := get("successful_resolution_rate"); v.Value == nil || *v.Value != 6.0/8 || v.N != 8 || v.Baseline == nil || *v.Baseline != 0 {
		t.Errorf("successful resolutions %+v (baseline: 1 resolved, 1 failed)", v)
	}
	if v := get("csat_post_resolution"); v.Value == nil || math.Abs(*v.Value-2.0/3) > 1e-12 || v.N != 3 {
		t.Errorf("csat_post_resolution %+v", v)
	}
	if v := get("csat"); v.Value == nil || *v.Value != 0.5 {
		t.Errorf("csat %+v", v)
	}
	// ROI = (0.01 × 3,000,000 − 10,000) / 10,000 = 2.
	if v := get("roi"); v.Value == nil || math.Abs(*v.Value-2) > 1e-12 || v.N != 4 || v.Status != StatusOK || v.Baseline == nil || *v.Baseline != -1 {
		t.Errorf("roi %+v", v)
	}
	if v, _ := Compute(src, w, Defs(), nil).Find("roi"); v.Value != nil {
		t.Errorf("roi without a programme cost: %+v", v)
	}
}

func TestMeanNPSCategory(t *testing.T) {
	for _, tc := range []struct {
		sum, n int64
		want   string
	}{{9, 1, "promoter"}, {17, 2, "passive"}, {18, 2, "promoter"}, {14, 2, "passive"}, {13, 2, "detractor"}, {0, 1, "detractor"}} {
		if got := MeanNPSCategory(tc.sum, tc.n); got != tc.want {
			t.Errorf("mean %d/%d: %s, want %s", tc.sum, tc.n, got, tc.want)
		}
	}
}
