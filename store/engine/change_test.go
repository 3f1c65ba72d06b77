package engine

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
)

// TestEvaluateChange: after a batch, only the rules reading what it
// changed run, and the ticket rules only on the tickets it names.
func TestEvaluateChange(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "cx.db"))
	defer s.Close()
	old := now.Add(-11 * 24 * time.Hour)
	var recs []model.Record
	recs = append(recs, resolved(7, 3, now.Add(-2*time.Hour))...) // SLA compliance 70%
	recs = append(recs, ticket("A", old, model.StatusNew, time.Time{})...)
	recs = append(recs, ticket("B", old, model.StatusNew, time.Time{})...)
	if _, err := s.Write(recs); err != nil {
		t.Fatal(err)
	}
	rules := alert.DefaultRules()
	for _, tc := range []struct {
		name string
		ch   store.Change
		want []string // keys this step fires
		all  int      // alerts stored after this step
	}{
		{"events only: no ticket rule runs", store.Change{Events: 5}, nil, 0},
		{"feedback only", store.Change{Feedback: 2}, nil, 0},
		{"ticket A changed", store.Change{Tickets: []string{"A"}}, []string{"sla_compliance_low", "ticket_open_10d/A"}, 2},
		{"too many to name: the queue is scanned", store.Change{More: true}, []string{"ticket_open_10d/B"}, 3},
	} {
		if _, err := EvaluateChange(s, rules, tc.ch, now); err != nil {
			t.Fatal(err)
		}
		for _, k := range tc.want {
			if a := find(t, s, k); a == nil || a.State != alert.Firing {
				t.Errorf("%s: %s not firing", tc.name, k)
			}
		}
		if got := len(states(t, s)); got != tc.all {
			t.Errorf("%s: %d alerts %v, want %d", tc.name, got, states(t, s), tc.all)
		}
	}
}
