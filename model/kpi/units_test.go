package kpi

import (
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
)

func p(x float64) *float64 { return &x }

// Each delta is labelled with its unit; a share's change is in percentage
// points, never a bare "%" that reads as a relative change.
func TestFormatDelta(t *testing.T) {
	for _, tc := range []struct {
		id   string
		d    float64
		want string
	}{
		{"csat", -0.052, "-5.2 pp"},
		{"digital_revenue_growth", 0.031, "+3.1 pp"},
		{"nps", 4, "+4.0 pts"},
		{"handling_time_h", -1.5, "-1.5h"},
		{"bot_csat", 0.2, "+0.20★"},
		{"backlog", 3, "+3"},
	} {
		d := def(t, tc.id)
		if got := FormatDelta(d.DeltaUnit(), &tc.d); got != tc.want {
			t.Errorf("%s delta %g = %q, want %q", tc.id, tc.d, got, tc.want)
		}
	}
	if got := FormatDelta(DeltaPct, p(0.12)); got != "+12.0%" {
		t.Errorf("a relative change reads %q", got)
	}
}

func def(t *testing.T, id string) Def {
	t.Helper()
	for _, d := range Defs() {
		if d.ID == id {
			return d
		}
	}
	t.Fatalf("no KPI %s", id)
	return Def{}
}

// Every KPI names a default window; adoption and revenue growth move over
// a month, not a day, and ComputeDefault reads each over its own.
func TestDefaultWindows(t *testing.T) {
	for _, d := range Defs() {
		if _, err := NewWindow(time.Now(), d.Window); err != nil {
			t.Errorf("%s: default window %s: %v", d.ID, d.Window, err)
		}
	}
	for id, want := range map[string]time.Duration{"digital_adoption": 30 * 24 * time.Hour, "digital_revenue_growth": 30 * 24 * time.Hour, "csat": 7 * 24 * time.Hour, "roi": 365 * 24 * time.Hour} {
		if got := def(t, id).Window; got != want {
			t.Errorf("%s: default window %s, want %s", id, got, want)
		}
	}
	src := fakeSource{}
	at := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	to := model.HourOf(at)
	// A customer logged in digitally 20 days ago, another came yesterday
	// without: a 24h adoption reads 0%, the 30-day default 50%.
	src.add(model.MActive, to-20*24, 1)
	src.add(model.MDigitalActive, to-20*24, 1)
	src.add(model.MActive, to-24+1, 1)
	rep, err := ComputeDefault(src, at, Defs())
	if err != nil {
		t.Fatal(err)
	}
	v, _ := rep.Find("digital_adoption")
	if v.Window.Length != 30*24*time.Hour || v.Value == nil || *v.Value != 0.5 {
		t.Errorf("adoption over %s = %v, want 50%% over 30d", v.Window.Length, v.Text())
	}
	if c, _ := rep.Find("csat"); c.Window.Length != 7*24*time.Hour || !c.Window.At.Equal(at) {
		t.Errorf("csat read over %+v", c.Window)
	}
	if rep.Window.Length != 365*24*time.Hour {
		t.Errorf("the report's window is %s, want the longest (365d)", rep.Window.Length)
	}
}

// spanSource is a fakeSource that knows the first hour of each metric,
// as the store's rollups do.
type spanSource struct{ fakeSource }

func (s spanSource) Hours(metric string) (first, last uint32, ok bool) {
	for h := range s.fakeSource[metric] {
		if !ok || h < first {
			first = h
		}
		if !ok || h > last {
			last = h
		}
		ok = true
	}
	return first, last, ok
}

// ROI is never a silent "-", and a year's cost is not set against 90 days
// of benefit without saying so.
func TestROINotes(t *testing.T) {
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	to := model.HourOf(at)
	src := spanSource{fakeSource{}}
	src.add(digitalRevenue, to-90*24, 876_000)
	none, _ := FromConfig(Config{}, ProgrammeConfig{})
	rep, _ := ComputeDefault(src, at, none.Defs)
	v, _ := rep.Find("roi")
	if v.Value != nil || v.Text() != "no cost" || !strings.Contains(v.Note, "kpi.programme_cost") {
		t.Errorf("ROI without a cost: %q, note %q", v.Text(), v.Note)
	}
	withCost, _ := FromConfig(Config{ProgrammeCost: 365 * 24 * 10, BenefitShare: p(1)}, ProgrammeConfig{})
	rep, _ = ComputeDefault(src, at, withCost.Defs)
	v, _ = rep.Find("roi")
	// Cost over the 90 days with data: 10 an hour × 2160 h = 21,600.
	if v.Value == nil || *v.Value != (876_000-21_600)/21_600.0 {
		t.Errorf("ROI over 90 days of data = %v, want the cost pro-rated to 90 days", v.Text())
	}
	if !strings.Contains(v.Note, "90d of data") || !strings.Contains(v.Note, "365d") {
		t.Errorf("ROI note %q does not say it covers 90d of the 365d window", v.Note)
	}
}

// Since go-live: each KPI from the go-live, against the configured
// baselines.
func TestSinceGoLive(t *testing.T) {
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	goLive := model.Date{Time: at.Add(-30 * 24 * time.Hour)}
	to := model.HourOf(at)
	src := fakeSource{}
	src.add(model.MOrderProcessingSec, to-10, 20*3600)
	src.add("ev."+model.EventOrderProcessed, to-10, 1)
	src.add(model.MOrderProcessingSec, to-40*24, 100*3600) // before go-live
	src.add("ev."+model.EventOrderProcessed, to-40*24, 1)
	src.add(digitalRevenue, to-5, 1_200)
	s, err := FromConfig(Config{}, ProgrammeConfig{GoLive: &goLive, BaselineDigitalRevenue: 1_000,
		Baselines: map[string]float64{"order_processing_h": 120}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := SinceGoLive(src, Programme{}, at, s.Defs); err != ErrNoGoLive {
		t.Errorf("no go-live: %v", err)
	}
	rep, err := SinceGoLive(src, s.Programme, at, s.Defs)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Window.Length != 30*24*time.Hour {
		t.Errorf("window %s, want the 30 days since go-live", rep.Window.Length)
	}
	v, _ := rep.Find("order_processing_h")
	if v.Value == nil || *v.Value != 20 || v.Baseline == nil || *v.Baseline != 120 || *v.Delta != -100 {
		t.Errorf("order processing since go-live %v against %v", v.Text(), v.Baseline)
	}
	g, _ := rep.Find("digital_revenue_growth")
	if g.Value == nil || *g.Value < 0.199 || *g.Value > 0.201 {
		t.Errorf("digital revenue growth over the baseline month = %v, want +20%%", g.Text())
	}
}

func TestProgrammeConfigErrors(t *testing.T) {
	day := &model.Date{Time: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)}
	for _, tc := range []struct {
		pc   ProgrammeConfig
		want string
	}{
		{ProgrammeConfig{Currency: "XYZ"}, `programme.currency: currency "XYZ" is not known`},
		{ProgrammeConfig{Baselines: map[string]float64{"csatt": 0.7}}, "programme.baselines.csatt: no KPI has this id"},
		{ProgrammeConfig{Costs: []ProgrammeEntry{{Amount: 5}}}, "programme.costs[0]: at is required"},
		{ProgrammeConfig{Benefits: []ProgrammeEntry{{At: day, Amount: -1}}}, "programme.benefits[0].amount -1: use an amount > 0"},
		{ProgrammeConfig{BaselineDigitalRevenue: -1}, "programme.baseline_digital_revenue -1"},
	} {
		_, err := FromConfig(Config{}, tc.pc)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.pc, err, tc.want)
		}
	}
	if _, err := FromConfig(Config{Windows: map[string]model.Duration{"csat": {Duration: 90 * time.Minute}}}, ProgrammeConfig{}); err == nil || !strings.HasPrefix(err.Error(), "kpi.windows.csat: window 1h30m0s") {
		t.Errorf("a bad window: %v", err)
	}
	s, _ := FromConfig(Config{Windows: map[string]model.Duration{"csat": {Duration: 24 * time.Hour}}}, ProgrammeConfig{})
	if s.Defs[0].Window != 24*time.Hour {
		t.Errorf("kpi.windows.csat did not override the default")
	}
}
