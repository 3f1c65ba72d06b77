package store

import (
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
)

// newFamilyRecords count in every family of rollup version 2.
func newFamilyRecords() []model.Record {
	done := t0.Add(3 * time.Hour)
	return []model.Record{
		{Ticket: &model.Ticket{ID: "T1", Status: model.StatusDone, Type: "complaint", Source: "email", Priority: model.PriorityLow,
			CreatedAt: t0, ResolvedAt: done, CustomerID: "C1",
			History: []model.Change{
				{At: t0.Add(time.Hour), By: "a", Field: "status", Old: model.StatusNew, New: model.StatusDone},
				{At: t0.Add(2 * time.Hour), By: "a", Field: "status", Old: model.StatusDone, New: model.StatusNew},
				{At: done, By: "a", Field: "status", Old: model.StatusNew, New: model.StatusDone},
			}}},
		{Ticket: &model.Ticket{ID: "T2", Status: model.StatusDone, Type: "complaint", Source: "email", Priority: model.PriorityLow,
			CreatedAt: t0, ResolvedAt: done, CustomerID: "C2"}},
		{Feedback: &model.Feedback{ID: "F1", Survey: model.SurveyCSAT, Score: 2, At: done.Add(time.Hour), CustomerID: "C2",
			Kind: model.KindPostResolution, TicketID: "T2"}},
		{Feedback: &model.Feedback{ID: "F2", Survey: model.SurveyCSAT, Score: 1, At: done.Add(time.Hour), CustomerID: "C1",
			Kind: model.KindTransactional}},
		{Feedback: &model.Feedback{ID: "F3", Survey: model.SurveyNPS, Score: 9, At: t0, CustomerID: "C1", Segment: "vip", Kind: model.KindRelationship}},
		{Feedback: &model.Feedback{ID: "F4", Survey: model.SurveyNPS, Score: 6, At: t0.Add(time.Hour), CustomerID: "C1", Segment: "vip", Kind: model.KindRelationship}},
		{Event: &model.Event{ID: "E1", Type: model.EventPurchase, At: t0, CustomerID: "C1", Amount: 1200}},
		{Event: &model.Event{ID: "E2", Type: model.EventPurchase, At: t0.Add(time.Hour), CustomerID: "C1", Amount: 300, Digital: true}},
	}
}

func TestNewRollupFamilies(t *testing.T) {
	s := openTemp(t)
	if _, err := s.Write(newFamilyRecords()); err != nil {
		t.Fatal(err)
	}
	h0 := model.HourOf(t0)
	s.ViewRollups(func(r *Rollups) error {
		// T1 was reopened, T2 got a post-resolution 2; F2 is not about a ticket.
		if got := r.BySuffix(model.MResolutionFailed, h0, h0+24); len(got) != 2 || got["T1"] != 1 || got["T2"] != 1 {
			t.Errorf("failed resolutions %v, want T1 and T2", got)
		}
		if got := r.BySuffix(model.MNPSCustomerN, h0, h0+24); len(got) != 1 || got["vip/C1"] != 2 {
			t.Errorf("NPS answers per customer %v", got)
		}
		if got := r.BySuffix(model.MNPSCustomerSum, h0, h0+24); got["vip/C1"] != 15 {
			t.Errorf("NPS sums per customer %v", got)
		}
		if got := r.BySuffix(model.MRevenueCustomer, h0, h0+1); len(got) != 1 || got["C1"] != 1200 {
			t.Errorf("revenue per customer in the first hour %v", got)
		}
		return nil
	})
	if err := s.RollupsOutdated(); err != nil {
		t.Fatalf("a new store: %v", err)
	}
	rep, err := s.Check()
	if err != nil || !rep.OK() {
		t.Fatalf("check: %v %v", err, rep)
	}
}

// A store written before rollup version 2 lacks the new families: a
// read-only open says what to run, a writable open rebuilds them.
func TestOlderRollupsAreRebuiltOnAWritableOpen(t *testing.T) {
	s := openTemp(t)
	if _, err := s.Write(newFamilyRecords()); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	// Make it a version 1 store: no version key, no new families.
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketMeta).Delete(metaRollupVersion); err != nil {
			return err
		}
		if err := tx.DeleteBucket(bucketActHours); err != nil {
			return err
		}
		c := tx.Bucket(bucketRollups).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if f, _, _ := splitPackedKey(k); strings.HasSuffix(f, ".first") || strings.HasSuffix(f, ".last") || strings.HasSuffix(f, ".gap") || f == model.MResolutionFailed || f == model.MNPSCustomerN || f == model.MNPSCustomerSum || f == model.MRevenueCustomer {
				if err := c.Delete(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep, _ := s.Check(); rep.OK() {
		t.Fatal("check accepted a store missing rollup families")
	}
	s.Close()

	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := ro.RollupsOutdated(); err == nil {
		t.Fatal("a version 1 store opened read-only is not reported outdated")
	}
	// Without spans, distinct customers are still counted right, slowly.
	ro.ViewRollups(func(r *Rollups) error {
		h0 := model.HourOf(t0)
		if r.spans || r.DistinctSuffixes(model.MActive, h0, h0+24) != 2 {
			t.Errorf("distinct customers of a version 1 store: spans %v, %d", r.spans, r.DistinctSuffixes(model.MActive, h0, h0+24))
		}
		return nil
	})
	ro.Close()

	// Merge every 3 records, so the rebuild's chunking is exercised.
	defer func(n int) { rebuildEvery = n }(rebuildEvery)
	rebuildEvery = 3
	var told [][2]uint64
	var progress [][2]int
	rw, err := Open(path, Options{OnUpgrade: func(from, to uint64) { told = append(told, [2]uint64{from, to}) },
		OnRebuildProgress: func(n, total int) { progress = append(progress, [2]int{n, total}) }})
	if err != nil {
		t.Fatal(err)
	}
	defer rw.Close()
	if len(told) != 1 || told[0] != [2]uint64{1, rollupVersion} {
		t.Fatalf("OnUpgrade calls %v, want one (1 → %d) before the rebuild", told, rollupVersion)
	}
	// 8 records read 3 at a time: progress at 3 and 6 of 8, then done.
	if want := [][2]int{{3, 8}, {6, 8}, {8, 8}}; !slices.Equal(progress, want) {
		t.Errorf("rebuild progress %v, want %v", progress, want)
	}
	if err := rw.RollupsOutdated(); err != nil {
		t.Fatalf("after a writable open: %v", err)
	}
	if rep, err := rw.Check(); err != nil || !rep.OK() {
		t.Fatalf("check after the rebuild: %v %v", err, rep)
	}
	if rep, _ := rw.Check(); rep.Tickets != 2 || rep.Feedback != 4 || rep.Events != 2 {
		t.Fatalf("records after the rebuild: %+v", rep)
	}
}
