// Package fake makes valid records quickly and deterministically for the
// sync tests and benchmarks (the realistic generator is model/sim).
package fake

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/cxtop/cxtop/model"
)

// T0 is the time the fake history starts at.
var T0 = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)

// Records returns n records numbered from first: about half tickets, the
// rest feedback and events.
func Records(seed uint64, first, n int) []model.Record {
	rng := rand.New(rand.NewPCG(seed, uint64(first)))
	tax := model.DefaultTaxonomy()
	out := make([]model.Record, 0, n)
	for i := first; i < first+n; i++ {
		at := T0.Add(time.Duration(i) * 7 * time.Second)
		cust := fmt.Sprintf("C%05d", rng.IntN(5000))
		switch i % 4 {
		case 0, 1:
			out = append(out, model.Record{Ticket: Ticket(rng, &tax, i, at, cust)})
		case 2:
			lo, hi, _ := model.SurveyRange(model.SurveyCSAT)
			out = append(out, model.Record{Feedback: &model.Feedback{ID: fmt.Sprintf("F%08d", i), Survey: model.SurveyCSAT,
				Score: lo + rng.IntN(hi-lo+1), At: at, CustomerID: cust, Segment: "regular", Touchpoint: "delivery",
				Kind: model.KindTransactional, Channel: "email"}})
		default:
			out = append(out, model.Record{Event: &model.Event{ID: fmt.Sprintf("E%08d", i), Type: model.EventPurchase, At: at,
				CustomerID: cust, Segment: "regular", Amount: int64(rng.IntN(100000)), Digital: rng.IntN(2) == 0}})
		}
	}
	return out
}

// Ticket makes a valid ticket.
func Ticket(rng *rand.Rand, tax *model.Taxonomy, i int, created time.Time, cust string) *model.Ticket {
	tt := tax.Types[rng.IntN(len(tax.Types))]
	prio := tax.Priorities[rng.IntN(len(tax.Priorities))]
	t := &model.Ticket{
		ID: fmt.Sprintf("T%08d", i), System: "fake", ExternalID: fmt.Sprint(i),
		Subject: fmt.Sprintf("Order #%d is late", rng.IntN(1e6)), Status: model.StatusNew,
		Type: tt.Name, SubType: tt.SubTypes[rng.IntN(len(tt.SubTypes))], Source: tax.Sources[rng.IntN(len(tax.Sources))],
		Priority: prio, Department: "care", CustomerID: cust, Segment: "regular", Touchpoint: "delivery",
		CreatedAt: created, UpdatedAt: created, SLADueAt: tax.SLADue(prio, created), Version: 1,
		History: []model.Change{{At: created, By: "system", Field: "status", New: model.StatusNew}},
	}
	if rng.IntN(2) == 0 {
		t.Status = model.StatusDone
		t.FirstResponseAt = created.Add(time.Duration(1+rng.IntN(3600)) * time.Second)
		t.ResolvedAt = t.FirstResponseAt.Add(time.Duration(1+rng.IntN(86400)) * time.Second)
		t.UpdatedAt = t.ResolvedAt
		t.Version = 2
		t.History = append(t.History, model.Change{At: t.ResolvedAt, By: "agent", Field: "status", Old: model.StatusNew, New: model.StatusDone})
	}
	return t
}
