package store

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model/alert"
)

// downgradeToSchema1 makes s look like a store written before schema 2:
// no schema 2 index, version 1.
func downgradeToSchema1(t *testing.T, s *Store) {
	t.Helper()
	err := s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range schema2Buckets {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(metaSchema, u64(1))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func putTestAlerts(t *testing.T, s *Store, n int) {
	t.Helper()
	_, err := s.Update(func(w *Writer) error {
		for i := 0; i < n; i++ {
			at := t0.Add(time.Duration(i) * time.Minute)
			a := alert.Alert{Key: fmt.Sprintf("r/%03d", i), Rule: "r", State: alert.Firing, FiredAt: at, UpdatedAt: at}
			if i%3 == 0 {
				a.State, a.ResolvedAt = alert.Resolved, at.Add(time.Hour)
			}
			if err := w.PutAlert(a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSchema1StoreIsUpgradedOnAWritableOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := Open(path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(14, 1))
	var recs = newFamilyRecords()
	for i := 0; i < 300; i++ {
		recs = append(recs, randomRecord(rng, 200))
	}
	if _, err := s.Write(recs); err != nil {
		t.Fatal(err)
	}
	putTestAlerts(t, s, 30)
	downgradeToSchema1(t, s)
	s.Close()

	// Read-only, the old store opens and its feed is read the old way.
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open of a schema 1 store: %v", err)
	}
	old, oldActive, err := ro.AlertFeed(10, true)
	if err != nil || len(old) != 10 || oldActive != 20 {
		t.Fatalf("feed of a schema 1 store: %d alerts, %d active, %v", len(old), oldActive, err)
	}
	ro.Close()

	var from, to uint64
	s, err = Open(path, Options{OnSchemaUpgrade: func(f, t uint64) { from, to = f, t }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if from != 1 || to != SchemaVersion {
		t.Fatalf("told of an upgrade v%d → v%d, want v1 → v%d", from, to, SchemaVersion)
	}
	rep := mustCheck(t, s)
	if rep.IndexEntries == 0 {
		t.Fatal("no index entries")
	}
	feed, active, err := s.AlertFeed(10, true)
	if err != nil || active != oldActive || len(feed) != len(old) {
		t.Fatalf("feed after the upgrade: %d alerts, %d active, %v", len(feed), active, err)
	}
	for i := range feed {
		if feed[i].Key != old[i].Key {
			t.Fatalf("feed[%d] = %s, the scan gave %s", i, feed[i].Key, old[i].Key)
		}
	}
}

func TestAlertFeedOrderAndCount(t *testing.T) {
	s := openTemp(t)
	putTestAlerts(t, s, 30)
	// Resolve the newest active one: it moves to the resolved part.
	if _, err := s.Update(func(w *Writer) error {
		a, err := w.Alert("r/029")
		if err != nil {
			return err
		}
		a.State, a.ResolvedAt = alert.Resolved, a.FiredAt.Add(time.Hour)
		return w.PutAlert(*a)
	}); err != nil {
		t.Fatal(err)
	}
	feed, active, err := s.AlertFeed(-1, true)
	if err != nil {
		t.Fatal(err)
	}
	if active != 19 || len(feed) != 30 {
		t.Fatalf("%d active, %d listed; want 19, 30", active, len(feed))
	}
	for i, a := range feed {
		if (i < 19) != a.Active() {
			t.Fatalf("feed[%d] %s is %s: active ones come first", i, a.Key, a.State)
		}
		if i > 0 && a.Active() == feed[i-1].Active() && a.FiredAt.After(feed[i-1].FiredAt) {
			t.Fatalf("feed[%d] fired after feed[%d]: newest first", i, i-1)
		}
	}
	if feed[0].Key != "r/028" || feed[19].Key != "r/029" {
		t.Fatalf("first %s, first resolved %s", feed[0].Key, feed[19].Key)
	}
	page, n, _ := s.AlertFeed(5, false)
	if len(page) != 5 || n != 19 {
		t.Fatalf("a page of 5 active: %d, count %d", len(page), n)
	}
	keys, _ := s.ActiveAlertKeys()
	if len(keys) != 19 || !keys["r/028"] || keys["r/029"] {
		t.Fatalf("active keys %v", keys)
	}
	mustCheck(t, s)
}
