package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
)

// A record deleted at its source leaves the store with everything derived
// from it: its rollup contributions (activity and spans included, through
// the same deltas a Put moves), its index entries and its change-log entry.
// In its place the change log gets a tombstone, so a replica pulling the
// log learns of the deletion as it learns of an update.
//
// A tombstone's log value is kindTombstone, the record's kind byte, then its
// id. bucketTombstones maps kind byte + id → the tombstone's sequence, so a
// record that comes back (re-created at the source) drops its tombstone and
// every id stays at most once in the log.
var bucketTombstones = []byte("tombstones")

const kindTombstone byte = 'x'

// Deleted names a record removed at its source.
type Deleted struct {
	Kind string `json:"kind"` // model.RecordTicket, RecordFeedback or RecordEvent
	ID   string `json:"id"`
}

// Delete removes a record, its index entries and its rollup contributions
// in this transaction, and records a tombstone in the change log. It
// reports whether the store held the record; deleting an absent one does
// nothing.
func (w *Writer) Delete(kind, id string) (bool, error) {
	switch kind {
	case model.RecordTicket, model.RecordFeedback, model.RecordEvent:
	default:
		return false, fmt.Errorf("delete %q %s: kind must be ticket, feedback or event", kind, id)
	}
	b, kb := recordBucket(w.tx, kind)
	old := b.Get([]byte(id))
	if old == nil {
		return false, nil
	}
	rec, err := decodeStored(old)
	if err != nil {
		return false, fmt.Errorf("%w: %s %s: stored value: %v", ErrCorrupt, kind, id, err)
	}
	if !w.bulk { // a bulk load builds these at its end (bulk_load.go)
		contributions(rec, -1, &w.keys)
		if err := w.moveIndexEntries(recordIndexEntries(rec), nil); err != nil {
			return false, err
		}
		if rec.Ticket != nil && rec.Ticket.Open() {
			w.open--
		}
	}
	if err := w.log.Delete(old[:8]); err != nil {
		return false, err
	}
	if err := b.Delete([]byte(id)); err != nil {
		return false, fmt.Errorf("delete %s %s: %w", kind, id, err)
	}
	w.seq++
	ref := append([]byte{kb}, id...)
	if err := w.log.Put(u64(w.seq), append([]byte{kindTombstone}, ref...)); err != nil {
		return false, err
	}
	if err := w.tx.Bucket(bucketTombstones).Put(ref, u64(w.seq)); err != nil {
		return false, err
	}
	w.result.Deleted++
	switch kind {
	case model.RecordTicket:
		w.noteTicket(id)
	case model.RecordFeedback:
		w.change.Feedback++
	default:
		w.change.Events++
	}
	return true, nil
}

// dropTombstone forgets the tombstone of a record that is put again.
func (w *Writer) dropTombstone(kb byte, id []byte) error {
	ts := w.tx.Bucket(bucketTombstones)
	ref := append([]byte{kb}, id...)
	seq := ts.Get(ref)
	if seq == nil {
		return nil
	}
	if err := w.log.Delete(seq); err != nil {
		return err
	}
	return ts.Delete(ref)
}

// tombstoneRef decodes a tombstone log value; ok is false for a record's.
func tombstoneRef(v []byte) (d Deleted, ok bool) {
	if len(v) < 3 || v[0] != kindTombstone {
		return d, false
	}
	switch v[1] {
	case kindTicket:
		d.Kind = model.RecordTicket
	case kindFeedback:
		d.Kind = model.RecordFeedback
	case kindEvent:
		d.Kind = model.RecordEvent
	default:
		return d, false
	}
	d.ID = string(v[2:])
	return d, true
}

// checkTombstones verifies that the tombstones bucket and the tombstone log
// entries name each other, and that no tombstoned record is stored. It
// returns how many log entries are tombstones.
func checkTombstones(tx *bolt.Tx, rep *CheckReport) int {
	log := tx.Bucket(bucketLog)
	n := 0
	log.ForEach(func(k, v []byte) error {
		if len(v) == 0 || v[0] != kindTombstone {
			return nil
		}
		n++
		d, ok := tombstoneRef(v)
		if !ok {
			rep.problem("log: sequence %d is a malformed tombstone", readU64(k))
			return nil
		}
		if got := tx.Bucket(bucketTombstones).Get(v[1:]); string(got) != string(k) {
			rep.problem("tombstones: %s %q should point to log sequence %d", d.Kind, d.ID, readU64(k))
		}
		b, _ := recordBucket(tx, d.Kind)
		if b.Get([]byte(d.ID)) != nil {
			rep.problem("tombstones: %s %q is deleted but still stored", d.Kind, d.ID)
		}
		return nil
	})
	if m := tx.Bucket(bucketTombstones).Stats().KeyN; m != n {
		rep.problem("tombstones: %d entries, the log has %d", m, n)
	}
	return n
}
