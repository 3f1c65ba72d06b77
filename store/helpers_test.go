package store

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
)

var t0 = time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)

func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "cx.db"), Options{Create: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// randomTicket makes a valid ticket; the same id with another rng state is
// a plausible later version of it.
func randomTicket(rng *rand.Rand, id int) *model.Ticket {
	tax := model.DefaultTaxonomy()
	tt := tax.Types[rng.IntN(len(tax.Types))]
	created := t0.Add(time.Duration(rng.IntN(30*24*3600)) * time.Second)
	prio := tax.Priorities[rng.IntN(len(tax.Priorities))]
	t := &model.Ticket{
		ID: fmt.Sprintf("T%08d", id), System: "test", ExternalID: fmt.Sprint(id),
		Subject: fmt.Sprintf("Order #%d late \"again\"\n", rng.IntN(1e5)), Status: model.StatusNew,
		Type: tt.Name, SubType: tt.SubTypes[rng.IntN(len(tt.SubTypes))], Source: tax.Sources[rng.IntN(len(tax.Sources))],
		Priority: prio, Department: []string{"care", "it", ""}[rng.IntN(3)], CustomerID: fmt.Sprintf("C%04d", rng.IntN(50)),
		Segment: []string{"vip", "regular"}[rng.IntN(2)], Touchpoint: "delivery", CreatedAt: created,
		SLADueAt: tax.SLADue(prio, created), Escalated: rng.IntN(10) == 0, Version: 1,
		History: []model.Change{{At: created, By: "system", Field: "status", New: model.StatusNew}},
	}
	switch rng.IntN(3) {
	case 1:
		t.Status = model.StatusInProgress
		t.FirstResponseAt = created.Add(time.Duration(rng.IntN(7200)) * time.Second)
	case 2:
		t.Status = model.StatusDone
		t.FirstResponseAt = created.Add(time.Duration(rng.IntN(7200)) * time.Second)
		t.ResolvedAt = t.FirstResponseAt.Add(time.Duration(rng.IntN(5*86400)) * time.Second)
	}
	t.UpdatedAt = created.Add(time.Hour)
	return t
}

func randomFeedback(rng *rand.Rand, id int) *model.Feedback {
	survey := model.Surveys[rng.IntN(len(model.Surveys))]
	lo, hi, _ := model.SurveyRange(survey)
	f := &model.Feedback{
		ID: fmt.Sprintf("F%08d", id), Survey: survey, Score: lo + rng.IntN(hi-lo+1),
		At: t0.Add(time.Duration(rng.IntN(30*24*3600)) * time.Second), CustomerID: fmt.Sprintf("C%04d", rng.IntN(50)),
		Segment: "vip", Touchpoint: "app", Kind: model.KindTransactional,
	}
	if rng.IntN(2) == 0 {
		s := float64(rng.IntN(2001)-1000) / 1000
		f.Sentiment = &s
		f.TicketID = fmt.Sprintf("T%08d", rng.IntN(100))
	}
	return f
}

func randomEvent(rng *rand.Rand, id int) *model.Event {
	typ := model.EventTypes[rng.IntN(len(model.EventTypes))]
	at := t0.Add(time.Duration(rng.IntN(30*24*3600)) * time.Second)
	e := &model.Event{ID: fmt.Sprintf("E%09d", id), Type: typ, At: at, CustomerID: fmt.Sprintf("C%04d", rng.IntN(50)), Segment: "loyal"}
	switch typ {
	case model.EventFormStarted, model.EventFormAbandoned, model.EventFormCompleted:
		e.Variant = []string{"A", "B"}[rng.IntN(2)]
	case model.EventOrderPlaced:
		e.OrderID = fmt.Sprintf("O%d", id)
	case model.EventOrderProcessed:
		e.OrderID = fmt.Sprintf("O%d", id)
		e.PlacedAt = at.Add(-time.Duration(rng.IntN(86400*5)) * time.Second)
	case model.EventPurchase:
		e.Amount = int64(rng.IntN(5_000_000))
		e.Digital = rng.IntN(2) == 0
	}
	return e
}

func randomRecord(rng *rand.Rand, maxID int) model.Record {
	id := rng.IntN(maxID)
	switch rng.IntN(3) {
	case 0:
		return model.Record{Ticket: randomTicket(rng, id)}
	case 1:
		return model.Record{Feedback: randomFeedback(rng, id)}
	}
	return model.Record{Event: randomEvent(rng, id)}
}

func mustCheck(t testing.TB, s *Store) *CheckReport {
	t.Helper()
	rep, err := s.Check()
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("check failed:\n%s", rep)
	}
	return rep
}
