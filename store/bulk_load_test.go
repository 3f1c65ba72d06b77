package store

import (
	"errors"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/sim"
)

// simHistory is a simulated history in its batches: tickets appear
// several times (created, then updated, solved), follow-up tickets ride
// with their answers.
func simHistory(t *testing.T, tickets int) [][]model.Record {
	t.Helper()
	var batches [][]model.Record
	err := sim.Generate(sim.Options{Seed: 5, End: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Days: 20, Tickets: tickets,
		Taxonomy: model.DefaultTaxonomy(), BatchSize: 700}, func(b []model.Record) error {
		batches = append(batches, b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return batches
}

// syncLikeBatch is what a sync's page does besides Write: records put
// through PutAll with a decide that skips some and replaces others, a
// deletion, and meta (a cursor) in the same transaction.
func syncLikeBatch(s *Store, records []model.Record, del model.Record) (WriteResult, error) {
	return s.Update(func(w *Writer) error {
		_, err := w.PutAll(records, func(i int, r model.Record) (model.Record, bool, error) {
			switch {
			case i%11 == 0:
				return r, false, nil
			case i%13 == 0 && r.Ticket != nil:
				t := r.Ticket.Clone()
				t.Subject += " (kept a local note)"
				return model.Record{Ticket: t}, true, nil
			}
			return r, true, nil
		})
		if err != nil {
			return err
		}
		if _, err := w.Delete(del.Kind(), del.ID()); err != nil {
			return err
		}
		return w.PutMeta("sync_cursor", []byte("page-2"))
	})
}

// writeAll writes the batches through a batch writer, then a sync-like
// batch of random records (repeats, updates, records written again
// unchanged, a deletion and a record re-created after its deletion).
func writeAll(t *testing.T, s *Store, batches [][]model.Record) WriteResult {
	t.Helper()
	bw := s.NewBatchWriter()
	for _, b := range batches {
		if err := bw.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	res, err := bw.Close()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(4, 4))
	var mixed []model.Record
	for range 600 {
		mixed = append(mixed, randomRecord(rng, 200))
	}
	mixed = append(mixed, batches[0][:50]...) // unchanged
	r2, err := syncLikeBatch(s, mixed, batches[1][3])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write([]model.Record{batches[1][3]}); err != nil { // back after its tombstone
		t.Fatal(err)
	}
	res.Inserted += r2.Inserted
	res.Updated += r2.Updated
	res.Unchanged += r2.Unchanged
	res.Deleted += r2.Deleted
	return res
}

// TestBulkLoadEqualsNormalWrites: the same batches, written by the normal
// path into one store and by a bulk load into another, leave every bucket
// with the same keys and values: records, change log, tombstones, every
// index, rollups, activity hours, meta. The one key left out is meta's
// created_at (dumpStore), the time each file was made. The bulk-loaded
// store passes check; its subscribers hear nothing while the load runs and
// one change at its end.
func TestBulkLoadEqualsNormalWrites(t *testing.T) {
	// Small chunks, so the index build and the rollup rebuild both run
	// over several transactions.
	defer func(n, m int) { rebuildEvery, bulkAppendEvery = n, m }(rebuildEvery, bulkAppendEvery)
	rebuildEvery, bulkAppendEvery = 1500, 700

	batches := simHistory(t, 2500)
	normal, bulk := openTemp(t), openTemp(t)
	want := writeAll(t, normal, batches)

	sub := bulk.Subscribe()
	defer sub.Cancel()
	started, err := bulk.BeginBulkLoad()
	if err != nil || !started {
		t.Fatalf("BeginBulkLoad on an empty store: %v, %v", started, err)
	}
	got := writeAll(t, bulk, batches)
	if got != want {
		t.Fatalf("bulk load: %+v; normal writes: %+v", got, want)
	}
	select {
	case <-sub.C:
		t.Fatalf("a subscriber was told of a bulk load's writes before its build: %+v", sub.Take())
	default:
	}
	if err := bulk.FinishBulkLoad(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-sub.C:
	default:
		t.Fatal("no change told at the end of the bulk load")
	}
	c := sub.Take()
	var seq uint64
	normal.db.View(func(tx *bolt.Tx) error { seq = readU64(tx.Bucket(bucketMeta).Get(metaSeq)); return nil })
	if c.Seq != seq || !c.More || !c.Meta || c.Feedback == 0 || c.Events == 0 || len(c.Tickets) == 0 {
		t.Fatalf("the change told at the end: %+v (seq %d)", c, seq)
	}
	if in, _ := bulk.InBulkLoad(); in {
		t.Fatal("still in the bulk load after its finish")
	}
	if a, b := dumpStore(t, normal), dumpStore(t, bulk); a != b {
		t.Fatalf("the bulk-loaded store differs from the normal one:\n%s", firstDiff(a, b))
	}
	mustCheck(t, bulk)

	// Writes after the load are normal writes again.
	more := simHistory(t, 300)[0]
	for _, s := range []*Store{normal, bulk} {
		if _, err := s.Write(more); err != nil {
			t.Fatal(err)
		}
	}
	if a, b := dumpStore(t, normal), dumpStore(t, bulk); a != b {
		t.Fatalf("after a later normal write:\n%s", firstDiff(a, b))
	}
}

// firstDiff shows the first line where two dumps differ.
func firstDiff(a, b string) string {
	la, lb := splitLines(a), splitLines(b)
	for i := range max(len(la), len(lb)) {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return "normal: " + x + "\nbulk:   " + y
		}
	}
	return ""
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := range len(s) {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

// A store holding a record is not bulk loaded: writes stay normal.
func TestBulkLoadOnlyIntoAnEmptyStore(t *testing.T) {
	s := openTemp(t)
	rng := rand.New(rand.NewPCG(1, 2))
	if _, err := s.Write([]model.Record{{Event: randomEvent(rng, 1)}}); err != nil {
		t.Fatal(err)
	}
	started, err := s.BeginBulkLoad()
	if err != nil || started {
		t.Fatalf("BeginBulkLoad on a store with a record: %v, %v", started, err)
	}
	if _, err := s.Write([]model.Record{{Ticket: randomTicket(rng, 2)}}); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, s)
	if err := s.FinishBulkLoad(); err != nil { // nothing to finish
		t.Fatal(err)
	}
}

// A bulk load stopped before its build (a crash, Ctrl-C), or in the middle
// of it, leaves a store no reader takes for a whole one: a read-only open
// says what happened, and the first writable open builds the indexes and
// rollups of the records the load wrote, giving the store the normal path
// gives for those records.
func TestBulkLoadInterrupted(t *testing.T) {
	defer func(n int) { rebuildEvery = n }(rebuildEvery)
	rebuildEvery = 1000
	batches := simHistory(t, 1200)
	written := batches[:len(batches)/2] // the load stopped here

	normal := openTemp(t)
	for _, b := range written {
		if _, err := normal.Write(b); err != nil {
			t.Fatal(err)
		}
	}

	for _, stop := range []string{"before the build", "after the indexes", "inside the rollups", "after the rollups"} {
		t.Run(stop, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cx.db")
			s, err := Open(path, Options{Create: true, NoSync: true})
			if err != nil {
				t.Fatal(err)
			}
			if started, err := s.BeginBulkLoad(); err != nil || !started {
				t.Fatalf("BeginBulkLoad: %v, %v", started, err)
			}
			for _, b := range written {
				if _, err := s.Write(b); err != nil {
					t.Fatal(err)
				}
			}
			switch stop {
			case "after the indexes":
				if _, err := s.buildIndexes(); err != nil {
					t.Fatal(err)
				}
			case "inside the rollups":
				// Part of the sums staged in the rollups bucket, as a
				// rebuild stopped after its first chunks leaves it.
				if _, err := s.buildIndexes(); err != nil {
					t.Fatal(err)
				}
				err := s.db.Update(func(tx *bolt.Tx) error {
					w := &Writer{tx: tx, meta: tx.Bucket(bucketMeta), deltas: rollupDeltas{}}
					w.keys.sink = w.deltas.add
					for _, r := range written[0][:300] {
						contributions(r, 1, &w.keys)
					}
					return w.mergeDeltasInto(tx.Bucket(bucketRollups))
				})
				if err != nil {
					t.Fatal(err)
				}
			case "after the rollups":
				if _, err := s.buildIndexes(); err != nil {
					t.Fatal(err)
				}
				if err := s.rebuildDerivedTo(true); err != nil {
					t.Fatal(err)
				}
			}
			s.Close() // the process ends here

			if _, err := Open(path, Options{ReadOnly: true}); !errors.Is(err, ErrBulkLoadUnfinished) {
				t.Fatalf("read-only open of a stopped bulk load: %v, want ErrBulkLoadUnfinished", err)
			}
			resumed := false
			s, err = Open(path, Options{NoSync: true, OnBulkResume: func() { resumed = true }})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if !resumed {
				t.Fatal("the writable open did not say it finishes the load")
			}
			if in, _ := s.InBulkLoad(); in {
				t.Fatal("still in the bulk load after a writable open")
			}
			if a, b := dumpStore(t, normal), dumpStore(t, s); a != b {
				t.Fatalf("the resumed store differs from the normal one:\n%s", firstDiff(a, b))
			}
			mustCheck(t, s)
		})
	}
}

// PutMeta may not set the marker.
func TestBulkLoadMarkerReserved(t *testing.T) {
	s := openTemp(t)
	_, err := s.Update(func(w *Writer) error { return w.PutMeta(string(metaBulkLoad), []byte{1}) })
	if err == nil {
		t.Fatal("PutMeta set the bulk load marker")
	}
}
