package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
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

// bucketDump is every key and value of a bucket, in order.
func bucketDump(t *testing.T, s *Store, name []byte) []string {
	t.Helper()
	var out []string
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(name).ForEach(func(k, v []byte) error {
			out = append(out, fmt.Sprintf("%x=%x", k, v))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A rebuild from the records, in one chunk (nothing staged) or in many
// (staged, then written in order), writes the very rollups and activity
// hours the writer kept up to date record by record.
func TestRebuildEqualsTheWritersRollups(t *testing.T) {
	s := openTemp(t)
	rng := rand.New(rand.NewPCG(13, 14))
	for batch := 0; batch < 10; batch++ {
		recs := make([]model.Record, 40)
		for i := range recs {
			recs[i] = randomRecord(rng, 150)
		}
		if _, err := s.Write(recs); err != nil {
			t.Fatal(err)
		}
	}
	rollups, hours := bucketDump(t, s, bucketRollups), bucketDump(t, s, bucketActHours)
	if len(rollups) == 0 || len(hours) == 0 {
		t.Fatalf("%d rollup keys, %d activity hours: nothing to compare", len(rollups), len(hours))
	}
	defer func(n int) { rebuildEvery = n }(rebuildEvery)
	for _, every := range []int{1 << 20, 7} {
		rebuildEvery = every
		if err := s.rebuildDerived(); err != nil {
			t.Fatal(err)
		}
		if got := bucketDump(t, s, bucketRollups); !slices.Equal(got, rollups) {
			t.Fatalf("chunks of %d: %d rollup keys differ from the writer's %d", every, len(got), len(rollups))
		}
		if got := bucketDump(t, s, bucketActHours); !slices.Equal(got, hours) {
			t.Fatalf("chunks of %d: activity hours differ from the writer's", every)
		}
		err := s.db.View(func(tx *bolt.Tx) error {
			if tx.Bucket(bucketRollupsStaging) != nil {
				t.Fatalf("chunks of %d: the staging bucket is left", every)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	mustCheck(t, s)
}
