package store

import (
	"bytes"
	"math/rand/v2"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
)

// derived dumps everything a store derives from its records: rollups,
// activity hours, indexes and the open count.
func derived(t *testing.T, s *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := s.db.View(func(tx *bolt.Tx) error {
		for _, name := range append([][]byte{bucketRollups, bucketActHours}, indexBuckets...) {
			tx.Bucket(name).ForEach(func(k, v []byte) error {
				out[string(name)+"/"+string(k)] = string(v)
				return nil
			})
		}
		out["open"] = string(tx.Bucket(bucketMeta).Get(metaOpenCount))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDeleteLeavesWhatANeverHeldStoreHas(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	var all []model.Record
	for i := range 600 {
		switch i % 3 {
		case 0:
			all = append(all, model.Record{Ticket: randomTicket(rng, i)})
		case 1:
			all = append(all, model.Record{Feedback: randomFeedback(rng, i)})
		default:
			all = append(all, model.Record{Event: randomEvent(rng, i)})
		}
	}
	held, never := openTemp(t), openTemp(t)
	if _, err := held.Write(all); err != nil {
		t.Fatal(err)
	}
	var kept []model.Record
	var gone []model.Record
	for i, r := range all {
		if i%7 < 2 {
			gone = append(gone, r)
		} else {
			kept = append(kept, r)
		}
	}
	if _, err := never.Write(kept); err != nil {
		t.Fatal(err)
	}
	res, err := held.Update(func(w *Writer) error {
		for _, r := range gone {
			if ok, err := w.Delete(r.Kind(), r.ID()); err != nil || !ok {
				t.Errorf("delete %s %s: %v %v", r.Kind(), r.ID(), ok, err)
			}
		}
		ok, err := w.Delete(model.RecordTicket, "no-such-ticket")
		if ok || err != nil {
			t.Errorf("absent record: %v %v", ok, err)
		}
		return nil
	})
	if err != nil || res.Deleted != len(gone) {
		t.Fatalf("deleted %d of %d: %v", res.Deleted, len(gone), err)
	}
	mustCheck(t, held)
	a, b := derived(t, held), derived(t, never)
	if len(a) != len(b) {
		t.Errorf("%d derived keys, a store that never held them has %d", len(a), len(b))
	}
	for k, v := range b {
		if a[k] != v {
			t.Errorf("derived %q differs", k)
			break
		}
	}
	// The change log carries the tombstones after the records.
	p, err := held.ChangeLog(0, 10000)
	if err != nil || len(p.Deleted) != len(gone) || len(p.Lines) != len(kept) {
		t.Fatalf("change log: %d lines, %d deleted (%v)", len(p.Lines), len(p.Deleted), err)
	}
	if p.Deleted[0].Kind != gone[0].Kind() || p.Deleted[0].ID != gone[0].ID() {
		t.Fatalf("first tombstone %+v, want %s %s", p.Deleted[0], gone[0].Kind(), gone[0].ID())
	}
	// Changes (the records only) skips them.
	lines, _, _, _ := held.Changes(0, 10000)
	if len(lines) != len(kept) {
		t.Fatalf("Changes: %d lines", len(lines))
	}
}

func TestRecreatedRecordDropsItsTombstone(t *testing.T) {
	s := openTemp(t)
	rng := rand.New(rand.NewPCG(1, 2))
	tk := randomTicket(rng, 1)
	if _, err := s.Write([]model.Record{{Ticket: tk}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(func(w *Writer) error { _, err := w.Delete(model.RecordTicket, tk.ID); return err }); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, s)
	if _, err := s.Ticket(tk.ID); err == nil {
		t.Fatal("deleted ticket still readable")
	}
	if _, err := s.Write([]model.Record{{Ticket: tk}}); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, s)
	p, _ := s.ChangeLog(0, 100)
	if len(p.Deleted) != 0 || len(p.Lines) != 1 || !bytes.Contains(p.Lines[0], []byte(tk.ID)) {
		t.Fatalf("change log after re-creation: %d lines, %+v", len(p.Lines), p.Deleted)
	}
}
