package store

import (
	"bytes"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
)

// WriteResult counts what a write did with the records it was given.
type WriteResult struct {
	Inserted  int
	Updated   int
	Unchanged int // identical to the stored version: nothing written
	Deleted   int // removed by Delete (delete.go)
}

// Writer is one write transaction. Everything put through it — records,
// their indexes and rollups, the change log and meta entries such as sync
// cursors — commits together when the function given to Update returns nil.
type Writer struct {
	s      *Store
	tx     *bolt.Tx
	meta   *bolt.Bucket
	log    *bolt.Bucket
	deltas rollupDeltas
	keys   keyBuilder
	seq    uint64
	open   int64 // change in the number of open tickets
	result WriteResult
	change Change
	// bulk: the store is in a bulk load (bulk_load.go): records and their
	// log entries only; indexes, rollups and counters are built at its end.
	bulk bool
}

// Update runs fn in one write transaction. If fn returns an error nothing
// is written. Subscribers are told after the commit.
func (s *Store) Update(fn func(w *Writer) error) (WriteResult, error) {
	if s.readOnly {
		return WriteResult{}, fmt.Errorf("write to %s: %w", s.path, ErrReadOnly)
	}
	var w *Writer
	// A bulk load's build (FinishBulkLoad) runs alone.
	s.buildMu.RLock()
	defer s.buildMu.RUnlock()
	err := s.db.Update(func(tx *bolt.Tx) error {
		w = &Writer{s: s, tx: tx, meta: tx.Bucket(bucketMeta), log: tx.Bucket(bucketLog), deltas: rollupDeltas{}}
		w.keys.sink, w.keys.hourly = w.deltas.sink(), true
		w.log.FillPercent = fillAppend
		w.seq = readU64(w.meta.Get(metaSeq))
		w.bulk = w.meta.Get(metaBulkLoad) != nil
		if err := fn(w); err != nil {
			return err
		}
		return w.flush()
	})
	if err != nil {
		return WriteResult{}, err
	}
	if !w.change.Empty() {
		w.change.Seq = w.seq
		if w.bulk {
			// Told at the end of the load, once its indexes and rollups
			// are built: a reader woken now would read them empty.
			s.holdChange(w.change)
		} else {
			s.notify(w.change)
		}
	}
	return w.result, nil
}

// Write stores records in one transaction: a page from the remote, a chunk
// of an import, a simulated day. It is the batch API; never call it once
// per record when records arrive together. A large batch is prepared on a
// second goroutine while this one writes (write_pipeline.go).
func (s *Store) Write(records []model.Record) (WriteResult, error) {
	// Prepared before the transaction: the preparation runs while another
	// write commits and this one waits for the writer lock.
	b := PrepareBatch(records)
	defer b.Release()
	return s.writePrepared(b)
}

// writePrepared writes a prepared batch in one transaction.
func (s *Store) writePrepared(b *Prepared) (WriteResult, error) {
	return s.Update(func(w *Writer) error {
		_, err := w.PutPrepared(b, nil)
		return err
	})
}

func recordBucket(tx *bolt.Tx, kind string) (*bolt.Bucket, byte) {
	switch kind {
	case model.RecordTicket:
		return tx.Bucket(bucketTickets), kindTicket
	case model.RecordFeedback:
		return tx.Bucket(bucketFeedback), kindFeedback
	default:
		return tx.Bucket(bucketEvents), kindEvent
	}
}

// Put inserts or replaces a record. A record identical to the stored one
// is skipped; a changed one moves its index entries and rollup
// contributions from the old version to the new.
func (w *Writer) Put(r model.Record) error {
	if err := model.CheckRecord(r); err != nil {
		return err
	}
	if w.bulk {
		return w.put(r, prepared{encoded: storedValue(r), light: true})
	}
	return w.put(r, prepared{encoded: storedValue(r), entries: recordIndexEntries(r)})
}

// prepared is what a record's write needs that does not depend on the
// store: its checked encoding, its index entries and, when counted is set,
// its rollup contributions already added to the batch's deltas.
type prepared struct {
	encoded []byte
	entries []indexEntry
	counted bool
	// light: only checked and encoded, for a bulk load (entries and
	// contributions are left to its build); a normal write makes them.
	light bool
	err   error
}

// put writes a record prepared (and checked) before. During a bulk load
// (w.bulk, bulk_load.go) it writes the record and its log entry as always
// and leaves its index entries, rollup contributions and the open-ticket
// count to the load's build.
func (w *Writer) put(r model.Record, p prepared) error {
	b, kb := recordBucket(w.tx, r.Kind())
	b.FillPercent = fillAppend
	id := []byte(r.ID())
	if p.light && !w.bulk {
		p.entries = recordIndexEntries(r)
	}
	encoded := p.encoded
	old := b.Get(id)
	var oldEntries []indexEntry
	if old != nil {
		if len(old) > 8 && old[8] != '{' && bytes.Equal(old[8:], encoded[8:]) {
			w.unchanged(r, p)
			return nil
		}
		// A bulk load has nothing of the older version to take back: it
		// decodes only a value written before the binary encoding, to
		// compare it.
		if !w.bulk || len(old) <= 8 || old[8] == '{' {
			oldRec, err := decodeStored(old)
			if err != nil {
				return fmt.Errorf("%w: %s %s: stored value: %v", ErrCorrupt, r.Kind(), r.ID(), err)
			}
			// A value written before the binary encoding is the same record
			// when its record encodes to the same bytes: it stays as it is.
			if old[8] == '{' && bytes.Equal(model.AppendBinary(nil, oldRec), encoded[8:]) {
				w.unchanged(r, p)
				return nil
			}
			if !w.bulk {
				contributions(oldRec, -1, &w.keys)
				oldEntries = recordIndexEntries(oldRec)
				if oldRec.Ticket != nil && oldRec.Ticket.Open() {
					w.open--
				}
			}
		}
		if err := w.log.Delete(old[:8]); err != nil {
			return err
		}
		w.result.Updated++
	} else {
		if err := w.dropTombstone(kb, id); err != nil {
			return err
		}
		w.result.Inserted++
	}
	w.seq++
	copy(encoded[:8], u64(w.seq))
	if err := b.Put(id, encoded); err != nil {
		return fmt.Errorf("put %s %s: %w", r.Kind(), r.ID(), err)
	}
	if err := w.log.Put(u64(w.seq), append([]byte{kb}, id...)); err != nil {
		return err
	}
	if !w.bulk {
		if err := w.moveIndexEntries(oldEntries, p.entries); err != nil {
			return err
		}
		if !p.counted {
			contributions(r, 1, &w.keys)
		}
	}
	switch {
	case r.Ticket != nil:
		if r.Ticket.Open() { // a bulk load's flush drops it: its build counts the open tickets
			w.open++
		}
		w.noteTicket(r.Ticket.ID)
	case r.Feedback != nil:
		w.change.Feedback++
	case r.Event != nil:
		w.change.Events++
	}
	return nil
}

// unchanged skips a record equal to the stored one, taking back the
// contributions its preparation counted.
func (w *Writer) unchanged(r model.Record, p prepared) {
	if p.counted {
		contributions(r, -1, &w.keys)
	}
	w.result.Unchanged++
}

// noteTicket tells subscribers that a ticket changed.
func (w *Writer) noteTicket(id string) {
	if len(w.change.Tickets) < MaxChangeIDs {
		w.change.Tickets = append(w.change.Tickets, id)
	} else {
		w.change.More = true
	}
}

// moveIndexEntries deletes the entries the old version had and the new one
// does not, and puts the new ones that differ.
func (w *Writer) moveIndexEntries(old, new []indexEntry) error {
	same := func(a indexEntry, list []indexEntry) bool {
		for _, b := range list {
			if bytes.Equal(a.bucket, b.bucket) && bytes.Equal(a.key, b.key) && bytes.Equal(a.value, b.value) {
				return true
			}
		}
		return false
	}
	for _, e := range old {
		if !same(e, new) {
			if err := w.tx.Bucket(e.bucket).Delete(e.key); err != nil {
				return err
			}
		}
	}
	for _, e := range new {
		if same(e, old) {
			continue
		}
		v := e.value
		if v == nil {
			v = []byte{}
		}
		b := w.tx.Bucket(e.bucket)
		b.FillPercent = indexFill(e.bucket)
		if err := b.Put(e.key, v); err != nil {
			return fmt.Errorf("index %s: %w", e.bucket, err)
		}
	}
	return nil
}

// PutMeta stores a small named value (a sync cursor, sync state) in the same
// transaction as the records. Names starting with "app", "schema", "seq",
// "open_tickets" and "created_at" are the store's own.
func (w *Writer) PutMeta(key string, value []byte) error {
	switch key {
	case string(metaApp), string(metaSchema), string(metaSeq), string(metaOpenCount), string(metaCreated), string(metaBulkLoad):
		return fmt.Errorf("meta key %q is reserved", key)
	}
	w.change.Meta = true
	return w.meta.Put([]byte(key), append([]byte(nil), value...))
}

// Ticket reads a ticket inside the transaction (seeing this transaction's
// own writes), for read-modify-write changes such as triage actions.
func (w *Writer) Ticket(id string) (*model.Ticket, error) {
	return getTicket(w.tx, id)
}

// flush applies the batch's rollup deltas (in key order, so pages are
// touched sequentially) and the counters in meta.
func (w *Writer) flush() error {
	if w.bulk { // the build at the end of the load derives the rest
		return w.meta.Put(metaSeq, u64(w.seq))
	}
	if err := w.spanDeltas(); err != nil {
		return fmt.Errorf("rollup: activity spans: %w", err)
	}
	addDayDeltas(w.deltas)
	if err := w.mergeDeltas(); err != nil {
		return err
	}
	if err := w.meta.Put(metaSeq, u64(w.seq)); err != nil {
		return err
	}
	if w.open != 0 {
		n := int64(readU64(w.meta.Get(metaOpenCount))) + w.open
		return w.meta.Put(metaOpenCount, u64(uint64(n)))
	}
	return nil
}

// mergeDeltas adds the batch's rollup deltas to the rollups bucket.
func (w *Writer) mergeDeltas() error {
	return w.mergeDeltasInto(w.tx.Bucket(bucketRollups))
}

// mergeDeltasInto adds the deltas to rb (the rollups, or a rebuild's staging).
func (w *Writer) mergeDeltasInto(rb *bolt.Bucket) error {
	// A family's keys grow with the hour, and history arrives roughly in
	// time order: pages split near full, then fill from the right. At the
	// default half fill the bucket was half empty (issue 14, size row).
	rb.FillPercent = fillAppend
	keys := make([]string, 0, len(w.deltas))
	for k := range w.deltas {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if zeroDeltas(w.deltas[k]) {
			continue
		}
		key := []byte(k)
		v, err := mergePacked(rb.Get(key), w.deltas[k])
		if err != nil {
			return fmt.Errorf("%w: rollup %s: %v", ErrCorrupt, describeRollupKey(key), err)
		}
		if len(v) == 0 {
			err = rb.Delete(key)
		} else {
			err = rb.Put(key, v)
		}
		if err != nil {
			return fmt.Errorf("rollup: %w", err)
		}
	}
	return nil
}
