package store

import (
	"math/rand/v2"
	"testing"

	"github.com/cxtop/cxtop/model"
)

// A page stops before its bytes pass the bound, and always holds one entry.
func TestChangeLogBytesBoundsAPage(t *testing.T) {
	s := openTemp(t)
	rng := rand.New(rand.NewPCG(1, 2))
	var recs []model.Record
	for i := range 5 {
		recs = append(recs, model.Record{Ticket: randomTicket(rng, i)})
	}
	if _, err := s.Write(recs); err != nil {
		t.Fatal(err)
	}
	one, err := s.ChangeLogBytes(0, 100, 1)
	if err != nil || len(one.Lines) != 1 || !one.HasMore {
		t.Fatalf("a 1-byte bound: %d lines, more %v, %v", len(one.Lines), one.HasMore, err)
	}
	all, _ := s.ChangeLogBytes(0, 100, 0)
	size := 0
	for _, l := range all.Lines[:3] {
		size += len(l)
	}
	three, _ := s.ChangeLogBytes(0, 100, size)
	if len(three.Lines) != 3 || !three.HasMore || len(all.Lines) != 5 {
		t.Fatalf("a bound of three records' bytes gave %d lines (of %d)", len(three.Lines), len(all.Lines))
	}
}
