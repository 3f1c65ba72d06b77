package sim

import (
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
)

// NPS answers name a touchpoint, and every touchpoint of the journey gets
// some: `kpi --by touchpoint` reads NPS at each, not "-" everywhere.
func TestNPSAtEveryTouchpoint(t *testing.T) {
	end := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	byTouchpoint := map[string]int{}
	missing := 0
	err := Generate(Options{Seed: 3, End: end, Days: 7, Taxonomy: model.DefaultTaxonomy()}, func(batch []model.Record) error {
		for _, r := range batch {
			if f := r.Feedback; f != nil && f.Survey == model.SurveyNPS {
				if f.Touchpoint == "" {
					missing++
				}
				byTouchpoint[f.Touchpoint]++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if missing > 0 {
		t.Errorf("%d NPS answers without a touchpoint", missing)
	}
	for _, tp := range append(append([]string{}, digitalTouchpoints...), physicalTouchpoints...) {
		if byTouchpoint[tp] < 5 {
			t.Errorf("touchpoint %s has %d NPS answers: %v", tp, byTouchpoint[tp], byTouchpoint)
		}
	}
}
