package store

import (
	"math/rand/v2"
	"testing"

	"github.com/cxtop/cxtop/model"
)

// The span counters give the same distinct-customer counts as reading
// every customer's hours, for any window, after records are added, moved
// (upserts change times and customers) and rewritten.
func TestDistinctActiveEqualsCountingEveryCustomer(t *testing.T) {
	s := openTemp(t)
	rng := rand.New(rand.NewPCG(7, 8))
	h0 := model.HourOf(t0)
	for batch := 0; batch < 25; batch++ {
		recs := make([]model.Record, 1+rng.IntN(60))
		for i := range recs {
			recs[i] = randomRecord(rng, 80)
		}
		if _, err := s.Write(recs); err != nil {
			t.Fatal(err)
		}
		s.ViewRollups(func(r *Rollups) error {
			if !r.spans {
				t.Fatal("a new store has no activity spans")
			}
			for i := 0; i < 40; i++ {
				from := h0 - 24 + uint32(rng.IntN(33*24))
				to := from + 1 + uint32(rng.IntN(10*24))
				switch i % 4 {
				case 0:
					from, to = 0, h0+40*24 // everything
				case 1:
					to = from + 1 // one hour: a gap of two hours can hold it
				}
				for _, f := range spanFamilies {
					if got, want := r.DistinctActive(f, from, to), len(r.BySuffix(f, from, to)); got != want {
						t.Fatalf("batch %d: %s in [%d, %d): %d distinct from spans, %d counted", batch, f, from-h0, to-h0, got, want)
					}
				}
			}
			return nil
		})
	}
	mustCheck(t, s)
}

func TestDistinctActiveAroundSilences(t *testing.T) {
	s := openTemp(t)
	h0 := model.HourOf(t0)
	login := func(id string, hour uint32, cust string) model.Record {
		return model.Record{Event: &model.Event{ID: id, Type: model.EventDigitalLogin, At: model.HourTime(hour), CustomerID: cust}}
	}
	// C1 is active at h0, h0+2 and h0+5; C2 at h0+2.
	if _, err := s.Write([]model.Record{login("E1", h0, "C1"), login("E2", h0+2, "C1"), login("E3", h0+5, "C1"), login("E4", h0+2, "C2")}); err != nil {
		t.Fatal(err)
	}
	check := func(when string, cases [][3]uint32) {
		t.Helper()
		s.ViewRollups(func(r *Rollups) error {
			for _, c := range cases {
				if got := r.DistinctActive(model.MDigitalActive, h0+c[0], h0+c[1]); got != int(c[2]) {
					t.Errorf("%s: [h0+%d, h0+%d): %d customers, want %d", when, c[0], c[1], got, c[2])
				}
			}
			return nil
		})
	}
	check("written", [][3]uint32{{1, 2, 0}, {1, 3, 2}, {3, 5, 0}, {0, 1, 1}, {6, 9, 0}, {0, 6, 2}, {5, 6, 1}, {3, 6, 1}})
	// Move C1's middle login to h0+4 and C2's away to another customer.
	if _, err := s.Write([]model.Record{login("E2", h0+4, "C1"), login("E4", h0+2, "C3")}); err != nil {
		t.Fatal(err)
	}
	check("moved", [][3]uint32{{1, 4, 1}, {1, 2, 0}, {4, 5, 1}, {2, 3, 1}, {0, 6, 2}})
	mustCheck(t, s)
}

// Sums read whole days from day keys and the ragged ends from hour keys:
// they equal the hour-by-hour sums for any range.
func TestDaySumsEqualHourSums(t *testing.T) {
	s := openTemp(t)
	rng := rand.New(rand.NewPCG(9, 10))
	for batch := 0; batch < 10; batch++ {
		recs := make([]model.Record, 1+rng.IntN(80))
		for i := range recs {
			recs[i] = randomRecord(rng, 100)
		}
		if _, err := s.Write(recs); err != nil {
			t.Fatal(err)
		}
	}
	h0 := model.HourOf(t0)
	metrics := []string{model.MTicketCreated, model.Dim(model.MTicketCreated, "type", "complaint"), model.MTicketResolvedSec,
		model.Dim(model.FeedbackScoreMetric(model.SurveyCSAT, 5), "kind", model.KindTransactional), "act.first", model.MActive}
	s.ViewRollups(func(r *Rollups) error {
		if !r.days {
			t.Fatal("a new store has no day keys")
		}
		for i := 0; i < 200; i++ {
			from := h0 - 48 + uint32(rng.IntN(35*24))
			to := from + uint32(rng.IntN(12*24))
			if i == 0 {
				from, to = 0, h0+40*24
			}
			for _, m := range metrics {
				var hourly int64
				for _, v := range r.Series(m, from, to, 1) {
					hourly += v
				}
				if got := r.Sum(m, from, to); got != hourly {
					t.Fatalf("%s over [h0%+d, h0%+d): %d, hour by hour %d", m, int64(from)-int64(h0), int64(to)-int64(h0), got, hourly)
				}
			}
		}
		return nil
	})
	mustCheck(t, s)
}

// One view answers many distinct counts (a trend line's points): the
// scratch set reused between them, the sums from hour 0 and the decoded
// gap days kept, each count equals counting every suffix afresh, in any
// order of windows.
func TestDistinctCountsInOneViewEqualFreshCounts(t *testing.T) {
	s := openTemp(t)
	rng := rand.New(rand.NewPCG(9, 10))
	recs := make([]model.Record, 600)
	for i := range recs {
		recs[i] = randomRecord(rng, 300)
	}
	if _, err := s.Write(recs); err != nil {
		t.Fatal(err)
	}
	h0 := model.HourOf(t0)
	type window struct{ from, to uint32 }
	var windows []window
	for h := h0 - 48; h < h0+35*24; h += 7 { // consecutive slices, as Series reads them
		windows = append(windows, window{h, h + 7})
	}
	for i := 0; i < 60; i++ { // then anywhere, longer and shorter, backwards too
		from := h0 - 24 + uint32(rng.IntN(33*24))
		windows = append(windows, window{from, from + 1 + uint32(rng.IntN(20*24))})
	}
	counted := 0
	s.ViewRollups(func(r *Rollups) error {
		for _, w := range windows {
			for _, f := range []string{model.MActive, model.MDigitalActive, model.MResolutionFailed} {
				want := len(r.BySuffix(f, w.from, w.to))
				if got := r.DistinctSuffixes(f, w.from, w.to); got != want {
					t.Fatalf("%s in [h0%+d, h0%+d): %d distinct, %d counted", f, int(w.from)-int(h0), int(w.to)-int(h0), got, want)
				}
				counted += want
			}
		}
		// Without spans (an older store read read-only) every family goes
		// through the scratch set.
		r.spans = false
		for _, w := range windows {
			if got, want := r.DistinctSuffixes(model.MActive, w.from, w.to), len(r.BySuffix(model.MActive, w.from, w.to)); got != want {
				t.Fatalf("no spans: [h0%+d, h0%+d): %d distinct, %d counted", int(w.from)-int(h0), int(w.to)-int(h0), got, want)
			}
		}
		return nil
	})
	if counted == 0 {
		t.Fatal("the records made no customers active: the test compares nothing")
	}
}
