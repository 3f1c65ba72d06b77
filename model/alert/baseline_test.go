package alert

import (
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/kpi"
)

// hourly is a kpi.Source of counters per metric and hour.
type hourly map[string]map[uint32]int64

func (h hourly) Sum(metric string, from, to uint32) int64 {
	var n int64
	for hr, v := range h[metric] {
		if hr >= from && hr < to {
			n += v
		}
	}
	return n
}

func (h hourly) BySuffix(string, uint32, uint32) map[string]int64 { return nil }

func (h hourly) add(metric string, hour uint32, n int64) {
	if h[metric] == nil {
		h[metric] = map[uint32]int64{}
	}
	h[metric][hour] += n
}

// slowDecline is CSAT losing half a point a day for 30 days: 90% a month
// ago, 75.5% over the last day.
func slowDecline(at time.Time) hourly {
	src := hourly{}
	to := model.HourOf(at)
	for d := 0; d < 30; d++ {
		h := to - uint32(30-d)*24 + 12
		pos := int64(1000 * (0.90 - 0.005*float64(d)))
		src.add(model.FeedbackScoreMetric(model.SurveyCSAT, 5), h, pos)
		src.add(model.FeedbackScoreMetric(model.SurveyCSAT, 1), h, 1000-pos)
	}
	return src
}

// A slow decline never fires against the previous window (each day looks
// like the one before) but does against the trailing four weeks or a fixed
// baseline; the message and the KPI pane use the same unit (pp).
func TestDropBaselines(t *testing.T) {
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	src := slowDecline(at)
	base := DefaultRules()[0]
	if base.ID != "csat_drop" || base.Baseline != BaselineTrailing4w {
		t.Fatalf("the default CSAT drop rule is %+v, want a trailing 4-week baseline", base)
	}
	for _, tc := range []struct {
		baseline string
		value    float64
		fires    bool
		says     string
	}{
		{BaselinePrevious, 0, false, ""},
		{BaselineTrailing4w, 0, true, "its value over the 4 weeks before the last 1d"},
		{BaselineFixed, 0.88, true, "12.5 pp below 88.0%, its fixed baseline (limit 5.0 pp)"},
	} {
		r := base
		r.Baseline, r.BaselineValue = tc.baseline, tc.value
		reports, err := Reports(src, []Rule{r}, kpi.Defs(), at)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := EvaluateKPI(r, reports[r.ReportKey()], nil, at)
		if (a != nil) != tc.fires {
			t.Errorf("%s: fired %v, want %v (%+v)", tc.baseline, a != nil, tc.fires, a)
			continue
		}
		if a == nil {
			continue
		}
		if !strings.Contains(a.Message, tc.says) || !strings.Contains(a.Message, " pp below ") || !strings.Contains(a.Message, "CSAT 75.5%") {
			t.Errorf("%s: message %q, want it to say %q in pp", tc.baseline, a.Message, tc.says)
		}
	}
	// The pane's delta and the previous-window rule measure the same
	// change, in the same unit.
	w, _ := kpi.NewWindow(at, 24*time.Hour)
	v, _ := kpi.Compute(src, w, kpi.Defs(), nil).Find("csat")
	prev := base
	prev.Baseline = BaselinePrevious
	x, _ := measure(prev, v)
	if kpi.FormatDelta(v.DeltaUnit(), v.Delta) != "-0.5 pp" || x != -*v.Delta {
		t.Errorf("pane delta %s, rule's fall %g: not the same change", kpi.FormatDelta(v.DeltaUnit(), v.Delta), x)
	}
}

func TestBaselineConfigErrors(t *testing.T) {
	for _, tc := range []struct{ rule, want string }{
		{`baseline = "yesterday"`, `baseline "yesterday" is not known: use previous, trailing_4w or fixed`},
		{`baseline = "fixed"`, "baseline fixed needs baseline_value"},
	} {
		_, err := FromConfig(model.DefaultTaxonomy(), Config{Rules: []RuleConfig{parseRule(t, "id = \"csat_drop\"\n"+tc.rule)}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.rule, err, tc.want)
		}
	}
	_, err := FromConfig(model.DefaultTaxonomy(), Config{Rules: []RuleConfig{parseRule(t, "id = \"sla_compliance_low\"\nbaseline = \"previous\"")}})
	if err == nil || !strings.Contains(err.Error(), "baseline applies to op drop only") {
		t.Errorf("a baseline on a below rule: %v", err)
	}
	s, err := FromConfig(model.DefaultTaxonomy(), Config{Rules: []RuleConfig{parseRule(t, "id = \"csat_drop\"\nbaseline = \"fixed\"\nbaseline_value = 0.9")}})
	if err != nil || s.Rules[0].Baseline != BaselineFixed || s.Rules[0].BaselineValue != 0.9 {
		t.Errorf("a fixed baseline: %+v, %v", s.Rules[0], err)
	}
}

func parseRule(t *testing.T, text string) RuleConfig {
	t.Helper()
	var rc RuleConfig
	for _, line := range strings.Split(text, "\n") {
		k, v, _ := strings.Cut(line, " = ")
		switch k {
		case "id":
			rc.ID = strings.Trim(v, `"`)
		case "baseline":
			b := strings.Trim(v, `"`)
			rc.Baseline = &b
		case "baseline_value":
			f := 0.9
			rc.BaselineValue = &f
		}
	}
	return rc
}
