package sim

import (
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
)

// checkFollowUps: every detractor has the follow-up ticket the automation
// would make (same id), right after the answer; most are contacted within
// 24 hours, some are not, so the detractor rule has something to find
// without firing on every answer.
func checkFollowUps(t *testing.T, detractors map[string]*model.Feedback, followUps map[string]*model.Ticket) {
	t.Helper()
	if len(detractors) < 100 || len(followUps) != len(detractors) {
		t.Fatalf("%d detractors, %d follow-ups", len(detractors), len(followUps))
	}
	inTime, late, due := 0, 0, 0
	for id, f := range detractors {
		tk := followUps[id]
		if tk == nil || tk.ID != alert.FollowUpPrefix+id || !tk.CreatedAt.Equal(f.At) || tk.CustomerID != f.CustomerID {
			t.Fatalf("detractor %s: follow-up %+v", id, tk)
		}
		limit := f.At.Add(24 * time.Hour)
		if limit.After(testEnd) {
			continue // not due yet at the end of the history
		}
		due++
		if alert.Contacted(tk) && !tk.FirstResponseAt.After(limit) {
			inTime++
		} else {
			late++
		}
	}
	if share := float64(inTime) / float64(due); share < 0.85 || share > 0.98 || late == 0 {
		t.Errorf("%d of %d follow-ups contacted within 24h (%.2f), %d late: want most, not all", inTime, due, share, late)
	}
}
