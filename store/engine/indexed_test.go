package engine

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
)

func ageTicket(id string, age time.Duration, status string) model.Record {
	at := now.Add(-age)
	t := &model.Ticket{ID: id, Status: status, Type: "complaint", SubType: "late_delivery", Source: "email",
		Priority: model.PriorityNormal, CreatedAt: at, UpdatedAt: at, Version: 1}
	if status == model.StatusDone {
		t.ResolvedAt, t.UpdatedAt = now.Add(-time.Hour), now.Add(-time.Hour)
	}
	return model.Record{Ticket: t}
}

// TestAgeRuleReadsOnlyOldOpenTickets: the age rule fires on open tickets
// past its limit, leaves an active alert alone while its ticket stays open,
// resolves it when the ticket is done, and fires on a ticket as it ages
// past the limit.
func TestAgeRuleReadsOnlyOldOpenTickets(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "cx.db"))
	day := 24 * time.Hour
	applyPage(t, s, []model.Record{
		ageTicket("A", 12*day, model.StatusNew), ageTicket("B", 5*day, model.StatusInProgress),
		ageTicket("C", 11*day, model.StatusInProgress), ageTicket("D", 20*day, model.StatusDone),
	})
	var rules []alert.Rule
	for _, r := range alert.DefaultRules() {
		if r.KPI == alert.TicketAgeDays {
			rules = append(rules, r)
		}
	}
	if len(rules) != 1 {
		t.Fatalf("default age rules: %v", rules)
	}
	activeKeys := func() map[string]bool {
		keys, err := s.ActiveAlertKeys()
		if err != nil {
			t.Fatal(err)
		}
		return keys
	}
	id := rules[0].ID
	if n, err := Evaluate(s, rules, now); err != nil || n != 2 {
		t.Fatalf("first evaluation: %d changes, %v; want A and C", n, err)
	}
	if k := activeKeys(); len(k) != 2 || !k[id+"/A"] || !k[id+"/C"] {
		t.Fatalf("active %v", k)
	}
	if n, err := Evaluate(s, rules, now.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("nothing changed: %d changes, %v", n, err)
	}
	applyPage(t, s, []model.Record{ageTicket("A", 12*day, model.StatusDone)})
	if n, err := Evaluate(s, rules, now.Add(2*time.Hour)); err != nil || n != 1 {
		t.Fatalf("A done: %d changes, %v", n, err)
	}
	a, _ := s.Alert(id + "/A")
	if a == nil || a.State != alert.Resolved {
		t.Fatalf("A's alert: %+v", a)
	}
	if n, err := Evaluate(s, rules, now.Add(6*day)); err != nil || n != 1 {
		t.Fatalf("B past the limit: %d changes, %v", n, err)
	}
	if k := activeKeys(); len(k) != 2 || !k[id+"/B"] || !k[id+"/C"] {
		t.Fatalf("active %v", k)
	}
	if rep, err := s.Check(); err != nil || !rep.OK() {
		t.Fatalf("check: %v %v", rep, err)
	}
}
