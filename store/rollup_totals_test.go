package store

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cxtop/cxtop/model"
)

// A family's hourly series read from the totals keys equals the series
// read from its own hourly values, for every family with a total, over
// ranges in any order in one view (the cache grows both ways), at several
// steps; records taken back (a ticket's newer version) move both alike.
func TestSeriesFromTotalsEqualsFamilySeries(t *testing.T) {
	s := openTemp(t)
	rng := rand.New(rand.NewPCG(3, 4))
	for batch := 0; batch < 8; batch++ {
		recs := make([]model.Record, 1+rng.IntN(120))
		for i := range recs {
			recs[i] = randomRecord(rng, 150) // ids repeat: later versions replace earlier ones
		}
		if _, err := s.Write(recs); err != nil {
			t.Fatal(err)
		}
	}
	h0 := model.HourOf(t0)
	cases := []struct {
		name           string
		from, to, step uint32
	}{
		{"a day, hourly", h0 + 10*24, h0 + 11*24, 1},
		{"a week before it, by 4 hours", h0 + 3*24, h0 + 10*24, 4},
		{"past both ends, by 13 hours", h0 - 50, h0 + 33*24, 13},
		{"inside the cache", h0 + 5*24 + 7, h0 + 6*24 + 1, 1},
		{"one hour", h0 + 100, h0 + 101, 1},
		{"before any record", 1000, 1010, 3},
		{"after the cache", h0 + 33*24, h0 + 40*24, 24},
	}
	checked := 0
	s.ViewRollups(func(r *Rollups) error {
		if !r.totals {
			t.Fatal("a new store has no totals keys")
		}
		families := map[string]bool{}
		for _, m := range r.Metrics("") {
			if f, sub := splitMetric(m); sub == "" && !suffixFamilies[f] {
				families[f] = true
			}
		}
		if len(families) < 20 {
			t.Fatalf("only %d families with totals: %v", len(families), families)
		}
		for _, c := range cases {
			for f := range families {
				got := r.Series(f, c.from, c.to, c.step)
				// Sums inside the hours read (answered from them) and
				// across their ends (day keys and hours as before).
				gotSums := []int64{r.Sum(f, c.from, c.to), r.Sum(f, c.from+1, c.to), r.Sum(f, c.from-30, c.to+30), r.Sum(f, 0, c.to)}
				r.totals = false
				cache := r.cache.totals
				r.cache.totals = nil
				want := r.Series(f, c.from, c.to, c.step)
				wantSums := []int64{r.Sum(f, c.from, c.to), r.Sum(f, c.from+1, c.to), r.Sum(f, c.from-30, c.to+30), r.Sum(f, 0, c.to)}
				r.totals, r.cache.totals = true, cache
				if !slices.Equal(gotSums, wantSums) {
					t.Fatalf("%s, %s: sums %v with the totals read, %v without", c.name, f, gotSums, wantSums)
				}
				if len(got) != len(want) {
					t.Fatalf("%s, %s: %d points from the totals, %d from the family", c.name, f, len(got), len(want))
				}
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("%s, %s, point %d: %d from the totals, %d from the family", c.name, f, i, got[i], want[i])
					}
					if want[i] != 0 {
						checked++
					}
				}
			}
		}
		return nil
	})
	if checked == 0 {
		t.Fatal("no non-zero point: the test compares nothing")
	}
	mustCheck(t, s)
}
