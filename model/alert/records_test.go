package alert

import (
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
)

func rule(t *testing.T, id string) Rule {
	t.Helper()
	for _, r := range DefaultRules() {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no default rule %s", id)
	return Rule{}
}

// TestTicketRules walks the record rules on tickets through their
// lifecycle: quiet, fires with its key, one alert (dedupe), resolves.
func TestTicketRules(t *testing.T) {
	open := func(id string, age time.Duration) *model.Ticket {
		return &model.Ticket{ID: id, Status: model.StatusNew, CustomerID: "C1", CreatedAt: now.Add(-age)}
	}
	answered := func(tk *model.Ticket) *model.Ticket {
		n := tk.Clone()
		n.Status, n.FirstResponseAt = model.StatusInProgress, now
		return n
	}
	done := func(tk *model.Ticket) *model.Ticket {
		n := tk.Clone()
		n.Status, n.ResolvedAt = model.StatusDone, now
		return n
	}
	for _, tc := range []struct {
		rule        string
		quiet, fire *model.Ticket
		key         string
		resolve     func(*model.Ticket) *model.Ticket
	}{
		{"ticket_open_10d", open("T1", 9*24*time.Hour), open("T1", 11*24*time.Hour), "ticket_open_10d/T1", done},
		{"detractor_no_followup", open("fu-F1", 23*time.Hour), open("fu-F1", 25*time.Hour), "detractor_no_followup/F1", answered},
		{"detractor_no_followup", open("fu-F2", 23*time.Hour), open("fu-F2", 30*time.Hour), "detractor_no_followup/F2", done},
	} {
		t.Run(tc.key, func(t *testing.T) {
			r := rule(t, tc.rule)
			if a, changed := EvaluateTicket(r, tc.quiet, nil, now); a != nil || changed {
				t.Fatalf("quiet: %+v", a)
			}
			a, changed := EvaluateTicket(r, tc.fire, nil, now)
			if !changed || a.State != Firing || a.Key != tc.key || a.TicketID != tc.fire.ID || a.Message == "" {
				t.Fatalf("fire: %+v", a)
			}
			if again, changed := EvaluateTicket(r, tc.fire, a, now.Add(time.Hour)); changed || again != a {
				t.Fatalf("duplicate: %+v", again)
			}
			res, changed := EvaluateTicket(r, tc.resolve(tc.fire), a, now.Add(2*time.Hour))
			if !changed || res.State != Resolved || res.ResolvedAt.IsZero() {
				t.Fatalf("resolve: %+v", res)
			}
		})
	}
	// The follow-up rule ignores tickets that are no follow-up.
	if a, _ := EvaluateTicket(rule(t, "detractor_no_followup"), open("T9", 48*time.Hour), nil, now); a != nil {
		t.Fatalf("a plain ticket raised a follow-up alert: %+v", a)
	}
}

func TestBotRule(t *testing.T) {
	r := rule(t, "bot_low_rating")
	bot := func(id string, score int, age time.Duration) *model.Feedback {
		return &model.Feedback{ID: id, Survey: model.SurveyBot, Score: score, At: now.Add(-age), CustomerID: "C1"}
	}
	for _, tc := range []struct {
		name string
		f    *model.Feedback
		fire bool
	}{
		{"2 stars fires", bot("F1", 2, time.Hour), true},
		{"1 star fires", bot("F2", 1, time.Hour), true},
		{"3 stars is the line", bot("F3", 3, time.Hour), false},
		{"older than the window", bot("F4", 1, 25*time.Hour), false},
		{"not a chatbot answer", &model.Feedback{ID: "F5", Survey: model.SurveyCSAT, Score: 1, At: now}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, changed := EvaluateFeedback(r, tc.f, "esc-"+tc.f.ID, nil, now)
			if changed != tc.fire || (a != nil) != tc.fire {
				t.Fatalf("fired %v (%+v), want %v", changed, a, tc.fire)
			}
			if !tc.fire {
				return
			}
			if a.Key != "bot_low_rating/"+tc.f.ID || a.TicketID != "esc-"+tc.f.ID {
				t.Fatalf("key %s ticket %s", a.Key, a.TicketID)
			}
			if _, again := EvaluateFeedback(r, tc.f, "esc-"+tc.f.ID, a, now); again {
				t.Fatal("the same answer fired twice")
			}
			human := &model.Ticket{ID: "esc-" + tc.f.ID, Status: model.StatusNew, CreatedAt: now}
			if _, changed := EvaluateTicket(r, human, a, now); changed {
				t.Fatal("resolved while its human ticket is open")
			}
			human.Status, human.ResolvedAt = model.StatusDone, now
			res, changed := EvaluateTicket(r, human, a, now)
			if !changed || res.State != Resolved {
				t.Fatalf("resolve: %+v", res)
			}
			if _, again := EvaluateFeedback(r, tc.f, "esc-"+tc.f.ID, res, now); again {
				t.Fatal("a resolved chatbot alert fired again for the same answer")
			}
		})
	}
}
