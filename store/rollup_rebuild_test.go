package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// The rebuild's contributions, split between goroutines and added up,
// equal those of one goroutine; a record that does not decode is named,
// the first in the chunk's order, whichever goroutine met it.
func TestContributionsOnEveryCoreEqualOneCore(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	recs := make([]storedRecord, 5000)
	for i := range recs {
		recs[i] = storedRecord{bucket: []byte("records"), key: fmt.Appendf(nil, "K%05d", i), value: storedValue(randomRecord(rng, 400))}
	}
	one, err := contributionsOf(recs, 1)
	if err != nil {
		t.Fatal(err)
	}
	four, err := contributionsOf(recs, 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(one) == 0 || len(one) != len(four) {
		t.Fatalf("%d keys on one goroutine, %d on four", len(one), len(four))
	}
	for pk, subs := range one {
		if len(four[pk]) != len(subs) {
			t.Fatalf("key %q: %d sub-keys on one goroutine, %d on four", pk, len(subs), len(four[pk]))
		}
		for sub, n := range subs {
			if m := four[pk][sub]; m == nil || *m != *n {
				t.Fatalf("key %q sub %q: %d on one goroutine, %v on four", pk, sub, *n, m)
			}
		}
	}

	bad := append([]storedRecord(nil), recs...)
	bad[4100].value, bad[1200].value = []byte("12345678{not a record"), []byte("12345678{nor this")
	_, err = contributionsOf(bad, 4)
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), `"K01200"`) {
		t.Fatalf("a chunk with two bad records: %v; want ErrCorrupt naming K01200", err)
	}
}
