package alert

import (
	"testing"
	"time"

	"github.com/cxtop/cxtop/model/kpi"
)

var now = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func report(id string, value, baseline float64) kpi.Report {
	v, b := value, baseline
	d := kpi.Def{ID: id, Label: id}
	for _, def := range kpi.Defs() {
		if def.ID == id {
			d = def
		}
	}
	return kpi.Report{KPIs: []kpi.Value{{Def: d, Value: &v, Baseline: &b}}}
}

// TestKPIRules walks each default rule through its lifecycle: quiet, fires,
// stays one alert (dedupe), holds inside the hysteresis band, resolves.
func TestKPIRules(t *testing.T) {
	for _, tc := range []struct {
		rule                   string
		quiet, fire, band, end [2]float64 // value, baseline
	}{
		{"csat_drop", [2]float64{0.86, 0.88}, [2]float64{0.80, 0.88}, [2]float64{0.832, 0.88}, [2]float64{0.87, 0.88}},
		{"form_abandonment_high", [2]float64{0.20, 0}, [2]float64{0.30, 0}, [2]float64{0.245, 0}, [2]float64{0.22, 0}},
		{"sla_compliance_low", [2]float64{0.97, 0}, [2]float64{0.90, 0}, [2]float64{0.952, 0}, [2]float64{0.96, 0}},
		{"nps_below_target", [2]float64{35, 0}, [2]float64{20, 0}, [2]float64{31, 0}, [2]float64{33, 0}},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			var r Rule
			for _, d := range DefaultRules() {
				if d.ID == tc.rule {
					r = d
				}
			}
			rep := func(p [2]float64) kpi.Report { return report(r.KPI, p[0], p[1]) }
			a, changed := EvaluateKPI(r, rep(tc.quiet), nil, now)
			if a != nil || changed {
				t.Fatalf("quiet: %+v", a)
			}
			a, changed = EvaluateKPI(r, rep(tc.fire), nil, now)
			if a == nil || !changed || a.State != Firing || a.Key != r.ID || a.Message == "" {
				t.Fatalf("fire: %+v", a)
			}
			again, changed := EvaluateKPI(r, rep(tc.fire), a, now.Add(time.Hour))
			if changed || again != a {
				t.Fatalf("a second breach made another alert: %+v", again)
			}
			held, changed := EvaluateKPI(r, rep(tc.band), a, now.Add(2*time.Hour))
			if held.State != Firing || held.FiredAt != a.FiredAt {
				t.Fatalf("inside the hysteresis band the alert should keep firing: %+v", held)
			}
			// A firing alert stays current: its value and message follow
			// the KPI while it fires.
			if !changed || held.Value == a.Value || held.Message == a.Message || !held.UpdatedAt.Equal(now.Add(2*time.Hour)) {
				t.Fatalf("a firing alert was not refreshed: %+v (was %+v)", held, a)
			}
			done, changed := EvaluateKPI(r, rep(tc.end), a, now.Add(3*time.Hour))
			if !changed || done.State != Resolved || done.ResolvedAt.IsZero() {
				t.Fatalf("resolve: %+v", done)
			}
			refire, changed := EvaluateKPI(r, rep(tc.fire), done, now.Add(4*time.Hour))
			if !changed || refire.State != Firing || !refire.FiredAt.Equal(now.Add(4*time.Hour)) {
				t.Fatalf("fire again after resolving: %+v", refire)
			}
		})
	}
}

func TestNoDataNeitherFiresNorResolves(t *testing.T) {
	r := DefaultRules()[2]
	empty := kpi.Report{KPIs: []kpi.Value{{Def: kpi.Def{ID: r.KPI}}}}
	if a, changed := EvaluateKPI(r, empty, nil, now); a != nil || changed {
		t.Fatal("fired without data")
	}
	firing := &Alert{Key: r.ID, State: Firing}
	if a, changed := EvaluateKPI(r, empty, firing, now); changed || a.State != Firing {
		t.Fatal("resolved without data")
	}
}

func TestAcknowledge(t *testing.T) {
	a := Alert{Key: "k", State: Firing}
	acked, err := Acknowledge(a, "lan", now)
	if err != nil || acked.State != Acknowledged || acked.AckedBy != "lan" {
		t.Fatalf("%+v %v", acked, err)
	}
	if _, err := Acknowledge(acked, "lan", now); err == nil {
		t.Fatal("acknowledged twice")
	}
	if _, err := Acknowledge(Alert{Key: "k", State: Resolved}, "lan", now); err == nil {
		t.Fatal("acknowledged a resolved alert")
	}
}
