package engine

import (
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/kpi"
)

// With a programme go-live, the state carries every KPI since it, against
// the programme's baselines: the console's "since go-live" column.
func TestStateCarriesKPIsSinceGoLive(t *testing.T) {
	s := gateStore(t)
	fb := &model.Feedback{ID: "F9", Survey: model.SurveyCSAT, Score: 5, At: now.Add(-30 * time.Minute), CustomerID: "C1"}
	if _, err := s.Write([]model.Record{{Feedback: fb}}); err != nil {
		t.Fatal(err)
	}
	p := kpi.Programme{GoLive: now.Add(-10 * 24 * time.Hour), Baselines: map[string]float64{"csat": 0.8}}
	e := startEngine(t, s, Options{NoRules: true, Coalesce: time.Millisecond, Programme: p})
	st := next(t, e.Subscribe())
	v, ok := st.SinceGoLive.Find("csat")
	if !ok || v.Value == nil || *v.Value != 1 || v.Baseline == nil || *v.Baseline != 0.8 || v.Window.Length != 10*24*time.Hour {
		t.Fatalf("CSAT since go-live: %+v", v)
	}
	plain := startEngine(t, gateStore(t), Options{NoRules: true, Coalesce: time.Millisecond})
	if st := next(t, plain.Subscribe()); len(st.SinceGoLive.KPIs) != 0 {
		t.Errorf("no go-live, yet %d KPIs since it", len(st.SinceGoLive.KPIs))
	}
}
