package store

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/cxtop/cxtop/model"
)

// cancelOnWrite cancels its context on the first bytes it is given, as a
// control-socket client that goes away once the output starts.
type cancelOnWrite struct {
	cancel context.CancelFunc
	bytes.Buffer
}

func (w *cancelOnWrite) Write(p []byte) (int, error) {
	w.cancel()
	return w.Buffer.Write(p)
}

// TestLongReadsStopWhenTheirContextEnds: an export whose context ends
// while it writes stops within a few thousand records, and a check asked
// with an ended context reads nothing; both say why.
func TestLongReadsStopWhenTheirContextEnds(t *testing.T) {
	s := openTemp(t)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 6; i++ {
		recs := make([]model.Record, 2000)
		for j := range recs {
			recs[j] = randomRecord(rng, 100000)
		}
		if _, err := s.Write(recs); err != nil {
			t.Fatal(err)
		}
	}
	var all bytes.Buffer
	if err := s.Export(&all); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &cancelOnWrite{cancel: cancel}
	if err := s.ExportContext(ctx, w); !errors.Is(err, context.Canceled) {
		t.Fatalf("export after its context ended: %v, want context.Canceled", err)
	}
	if w.Len() >= all.Len() {
		t.Fatalf("the cancelled export wrote all %d bytes", w.Len())
	}
	if _, err := s.CheckContext(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("check with an ended context: %v, want context.Canceled", err)
	}
	if rep, err := s.CheckContext(context.Background()); err != nil || !rep.OK() {
		t.Fatalf("check: %v %v", err, rep)
	}
}
