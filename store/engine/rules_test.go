package engine

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
)

// Record makers for the rule table; n numbers them apart.
var n int

func csat(good, bad int, at time.Time) []model.Record {
	var out []model.Record
	for i := range good + bad {
		score := 5
		if i >= good {
			score = 1
		}
		n++
		out = append(out, model.Record{Feedback: &model.Feedback{ID: fmt.Sprintf("FC%05d", n), Survey: model.SurveyCSAT, Score: score, At: at, Kind: model.KindTransactional}})
	}
	return out
}

func nps(promoters, passives, detractors int, at time.Time) []model.Record {
	var out []model.Record
	for i := range promoters + passives + detractors {
		score := 10
		switch {
		case i >= promoters+passives:
			score = 3
		case i >= promoters:
			score = 7
		}
		n++
		out = append(out, model.Record{Feedback: &model.Feedback{ID: fmt.Sprintf("FN%05d", n), Survey: model.SurveyNPS, Score: score, At: at, Kind: model.KindRelationship}})
	}
	return out
}

func forms(started, abandoned int, at time.Time) []model.Record {
	var out []model.Record
	for i := range started + abandoned {
		typ := model.EventFormStarted
		if i >= started {
			typ = model.EventFormAbandoned
		}
		n++
		out = append(out, model.Record{Event: &model.Event{ID: fmt.Sprintf("E%05d", n), Type: typ, At: at}})
	}
	return out
}

func resolved(inSLA, late int, at time.Time) []model.Record {
	var out []model.Record
	for i := range inSLA + late {
		created := at.Add(-5 * time.Hour)
		due := created.Add(24 * time.Hour)
		if i >= inSLA {
			due = created.Add(time.Hour)
		}
		n++
		out = append(out, model.Record{Ticket: &model.Ticket{ID: fmt.Sprintf("TR%05d", n), Status: model.StatusDone, Type: "complaint", Source: "email",
			Priority: model.PriorityHigh, Department: "customer_care", CreatedAt: created, ResolvedAt: at, SLADueAt: due, Version: 1}})
	}
	return out
}

func ticket(id string, created time.Time, status string, firstResponse time.Time) []model.Record {
	t := &model.Ticket{ID: id, Status: status, Type: "complaint", Source: "email", Priority: model.PriorityHigh, Department: "customer_care",
		CustomerID: "C1", CreatedAt: created, FirstResponseAt: firstResponse, Version: 1}
	if status == model.StatusDone {
		t.ResolvedAt, t.Version = created.Add(time.Hour), 2
		if !firstResponse.IsZero() {
			t.ResolvedAt = firstResponse
		}
	}
	return []model.Record{{Ticket: t}}
}

func bot(id string, score int, at time.Time) []model.Record {
	return []model.Record{{Feedback: &model.Feedback{ID: id, Survey: model.SurveyBot, Score: score, At: at, CustomerID: "C7", Kind: model.KindChatbot}}}
}

// TestRuleLifecycle: for each default rule, on a real store: records that
// breach the rule fire one alert; evaluating again changes nothing
// (dedupe); the alert survives reopening the store; inside the hysteresis
// band it keeps firing; past it (or when the ticket is handled) it
// resolves.
func TestRuleLifecycle(t *testing.T) {
	day := 24 * time.Hour
	in := now.Add(-2 * time.Hour) // inside every rule's current window
	prev := now.Add(-day - 2*time.Hour)
	for _, tc := range []struct {
		rule, key string
		fire      []model.Record
		band      []model.Record // still firing after these (nil: the rule has no band)
		resolve   []model.Record
	}{
		{"csat_drop", "csat_drop", append(csat(90, 10, prev), csat(80, 20, in)...), csat(38, 0, in), csat(24, 0, in)}, // 90% → 80% (10 pp), 85.5% (4.5 pp: in the band), 87.7%
		{"form_abandonment_high", "form_abandonment_high", forms(100, 30, in), forms(23, 0, in), forms(5, 0, in)},
		{"sla_compliance_low", "sla_compliance_low", resolved(7, 3, in), resolved(53, 0, in), resolved(4, 0, in)},
		{"nps_below_target", "nps_below_target", nps(40, 40, 20, in), nps(16, 0, 0, in), nps(2, 0, 0, in)},
		{"ticket_open_10d", "ticket_open_10d/T1", ticket("T1", now.Add(-11*day), model.StatusNew, time.Time{}), nil,
			ticket("T1", now.Add(-11*day), model.StatusDone, time.Time{})},
		{"detractor_no_followup", "detractor_no_followup/F1", ticket("fu-F1", now.Add(-30*time.Hour), model.StatusNew, time.Time{}), nil,
			ticket("fu-F1", now.Add(-30*time.Hour), model.StatusInProgress, now.Add(-time.Hour))},
		{"bot_low_rating", "bot_low_rating/F9", bot("F9", 2, in), nil,
			ticket("esc-F9", in, model.StatusDone, time.Time{})},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cx.db")
			s := open(t, path)
			defer func() { s.Close() }()
			set := alert.DefaultSettings(model.DefaultTaxonomy())
			var r alert.Rule
			for _, d := range set.Rules {
				if d.ID == tc.rule {
					r = d
				}
			}
			set.Rules = []alert.Rule{r} // only this rule: no other may interfere
			step := func(recs []model.Record, at time.Time) *alert.Alert {
				t.Helper()
				if _, err := s.Write(recs); err != nil {
					t.Fatal(err)
				}
				if _, err := Automate(s, set, false, at); err != nil {
					t.Fatal(err)
				}
				if _, err := Evaluate(s, set.Rules, at); err != nil {
					t.Fatal(err)
				}
				return find(t, s, tc.key)
			}
			a := step(tc.fire, now)
			if a == nil || a.State != alert.Firing || a.Rule != tc.rule {
				t.Fatalf("did not fire: %+v (alerts %v)", a, states(t, s))
			}
			fired := a.FiredAt
			if n, err := Evaluate(s, set.Rules, now.Add(time.Minute)); err != nil || n != 0 {
				t.Fatalf("second evaluation changed %d (%v): dedupe", n, err)
			}
			s.Close()
			s = open(t, path)
			if a := step(nil, now.Add(2*time.Minute)); a == nil || a.State != alert.Firing || !a.FiredAt.Equal(fired) {
				t.Fatalf("after reopening: %+v", a)
			}
			if all, _ := s.Alerts(true); len(all) != 1 {
				t.Fatalf("%d alerts, want 1: %+v", len(all), all)
			}
			if tc.band != nil {
				if a := step(tc.band, now.Add(3*time.Minute)); a.State != alert.Firing {
					t.Fatalf("inside the hysteresis band: %+v", a)
				}
			}
			if a := step(tc.resolve, now.Add(4*time.Minute)); a.State != alert.Resolved || a.ResolvedAt.IsZero() {
				t.Fatalf("did not resolve: %+v", a)
			}
		})
	}
}

func find(t *testing.T, s *store.Store, key string) *alert.Alert {
	t.Helper()
	list, err := s.Alerts(true)
	if err != nil {
		t.Fatal(err)
	}
	for i := range list {
		if list[i].Key == key {
			return &list[i]
		}
	}
	return nil
}
