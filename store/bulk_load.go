package store

import (
	"bytes"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
)

// A bulk load fills a store that holds no record (issue 14: the first
// `cxtop simulate`, a first full `cxtop sync --once`). A normal write keeps
// every index, rollup and activity span up to date in each transaction;
// at 200k tickets that rewrote ~2 pages a ticket, most of them leaves of
// the random-keyed indexes (docs/PERFORMANCE.md "The write path at
// 200k"). A bulk load writes only the records and their change-log entries
// (both append buckets), batch by batch as the normal path would, and
// builds the rest once at its end, from the records in key order: every
// index with sorted puts, then the rollups and activity spans with the
// rebuild an upgrade uses (rebuildDerivedTo, staged in the rollups bucket
// itself), then the counters in meta. The
// end state is the one the normal path gives for the same batches
// (TestBulkLoadEqualsNormalWrites).
//
// Its marker (metaBulkLoad) is set in meta by the transaction that starts
// it, before any record, and deleted by the one that ends the build. While
// it is set, every write transaction writes records only (Writer.bulk); a
// read-only open refuses the store (ErrBulkLoadUnfinished) and a writable
// open builds what the marker says is missing from the records there are
// (resumeBulkLoad), so a load stopped at any point (Ctrl-C, a crash, a
// failed build) never leaves a store whose indexes or rollups silently
// disagree with its records.
//
// Subscribers hear of the load's writes once, when its build is done, as
// one Change with More set (its Seq the last write's): while it runs,
// the indexes and rollups a reader would read are empty.

// metaBulkLoad marks a store in a bulk load.
var metaBulkLoad = []byte("bulk_load")

// BeginBulkLoad starts a bulk load if the store holds no record at all,
// and reports whether it did; otherwise nothing changes and writes stay
// normal. Until FinishBulkLoad every write transaction (Write, Update,
// BatchWriter) puts records and log entries only.
func (s *Store) BeginBulkLoad() (bool, error) {
	if s.readOnly {
		return false, fmt.Errorf("bulk load into %s: %w", s.path, ErrReadOnly)
	}
	started := false
	err := s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta.Get(metaBulkLoad) != nil {
			started = true
			return nil
		}
		for _, name := range [][]byte{bucketTickets, bucketFeedback, bucketEvents} {
			if k, _ := tx.Bucket(name).Cursor().First(); k != nil {
				return nil
			}
		}
		started = true
		return meta.Put(metaBulkLoad, []byte{1})
	})
	if err != nil {
		return false, fmt.Errorf("bulk load into %s: %w", s.path, err)
	}
	if started {
		s.bulkHint.Store(true)
	}
	return started, nil
}

// FinishBulkLoad ends a bulk load: it builds every index from the records,
// then the rollups and activity spans, then the counters in meta, and
// tells the subscribers. Writes wait while it runs. If it fails or is
// stopped, the store stays marked and the next writable open builds it
// again from the start. Without a load in progress it does nothing.
func (s *Store) FinishBulkLoad() error {
	s.buildMu.Lock()
	defer s.buildMu.Unlock()
	if err := s.finishBulkLoad(); err != nil {
		return fmt.Errorf("bulk load into %s: build its indexes and rollups: %w", s.path, err)
	}
	return nil
}

// InBulkLoad reports whether a bulk load is in progress.
func (s *Store) InBulkLoad() (bool, error) {
	var in bool
	err := s.db.View(func(tx *bolt.Tx) error {
		in = tx.Bucket(bucketMeta).Get(metaBulkLoad) != nil
		return nil
	})
	return in, err
}

// resumeBulkLoad, on a writable open, finishes a bulk load that was
// stopped: the records it wrote are kept, and what is derived from them
// is built.
func (s *Store) resumeBulkLoad() error {
	in, err := s.InBulkLoad()
	if err != nil || !in {
		return err
	}
	if s.onBulkResume != nil {
		s.onBulkResume()
	}
	return s.FinishBulkLoad()
}

func (s *Store) finishBulkLoad() error {
	in, err := s.InBulkLoad()
	if err != nil || !in {
		s.bulkHint.Store(false)
		return err
	}
	open, err := s.buildIndexes()
	if err != nil {
		return err
	}
	if err := s.rebuildDerivedTo(true); err != nil {
		return err
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		// The normal path writes the count once a write changes it.
		if open != 0 || meta.Get(metaOpenCount) != nil {
			if err := meta.Put(metaOpenCount, u64(open)); err != nil {
				return err
			}
		}
		return meta.Delete(metaBulkLoad)
	})
	if err != nil {
		return err
	}
	s.bulkHint.Store(false)
	s.subsMu.Lock()
	c := s.held
	s.held = Change{}
	s.subsMu.Unlock()
	if !c.Empty() {
		c.More = true // every index is new: readers refresh whole views
		s.notify(c)
	}
	return nil
}

// holdChange keeps what a bulk load's write changed for FinishBulkLoad.
func (s *Store) holdChange(c Change) {
	s.subsMu.Lock()
	s.held.merge(c)
	s.subsMu.Unlock()
}

// buildIndexes makes every index bucket anew from the records, and counts
// the open tickets. The records are read a chunk of rebuildEvery a
// transaction (bounding the memory as the rollups' rebuild does), decoded
// on every core, and each index's entries of a chunk put in key order
// (putSortedValues): into an empty bucket that is appending to full
// pages, and a later chunk rewrites each leaf it touches once. Most
// indexes are keyed by a time or by an id that grows with it, so a later
// chunk mostly appends; the customer index is keyed at random, and a
// chunk would rewrite nearly all of it (at 1M tickets the index build took
// 16 s, and its chunks' transactions were the load's largest heap), so its
// keys are kept (~30 bytes a ticket or answer), sorted once and appended
// at the end, bulkAppendEvery keys a transaction.
func (s *Store) buildIndexes() (open uint64, err error) {
	err = s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range indexBuckets {
			if err := recreateBucket(tx, name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	var customers keyRun
	// Events have no index entries (recordIndexEntries).
	for _, name := range [][]byte{bucketTickets, bucketFeedback} {
		var after []byte
		for more := true; more; {
			err := s.db.Update(func(tx *bolt.Tx) error {
				// Read (and decoded) before anything is written: the
				// values point into the file's map.
				recs := make([]storedRecord, 0, min(rebuildEvery, 1<<16))
				c := tx.Bucket(name).Cursor()
				k, v := c.First()
				if after != nil {
					if k, v = c.Seek(after); k != nil && bytes.Equal(k, after) {
						k, v = c.Next()
					}
				}
				for ; k != nil && len(recs) < rebuildEvery; k, v = c.Next() {
					recs = append(recs, storedRecord{name, k, v})
				}
				more = k != nil
				if len(recs) > 0 {
					after = append(after[:0], recs[len(recs)-1].key...)
				}
				entries, n, err := indexEntriesOf(recs, rebuildWorkers())
				if err != nil {
					return err
				}
				open += n
				return putIndexEntries(tx, entries, &customers)
			})
			if err != nil {
				return 0, err
			}
		}
	}
	return open, customers.appendSorted(s.db, bucketIdxCustomer)
}

// bulkAppendEvery is how many sorted keys a transaction appends.
var bulkAppendEvery = 500_000

// keyRun holds keys one after the other in one buffer.
type keyRun struct {
	buf  []byte
	ends []int
}

func (r *keyRun) add(k []byte) {
	r.buf = append(r.buf, k...)
	r.ends = append(r.ends, len(r.buf))
}

// appendSorted puts the run's keys (empty values) into the empty bucket
// name in key order, bulkAppendEvery a transaction: each appends to the
// bucket's last page.
func (r *keyRun) appendSorted(db *bolt.DB, name []byte) error {
	keys := make([][]byte, len(r.ends))
	start := 0
	for i, end := range r.ends {
		keys[i] = r.buf[start:end:end]
		start = end
	}
	r.ends = nil
	slices.SortFunc(keys, bytes.Compare)
	for len(keys) > 0 {
		part := keys[:min(len(keys), bulkAppendEvery)]
		keys = keys[len(part):]
		err := db.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket(name)
			b.FillPercent = fillAppend
			for _, k := range part {
				if err := b.Put(k, []byte{}); err != nil {
					return fmt.Errorf("index %s: %w", name, err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// indexEntriesOf decodes recs on workers goroutines (eachDecoded) and
// returns their index entries and how many are open tickets.
func indexEntriesOf(recs []storedRecord, workers int) ([]indexEntry, uint64, error) {
	workers = decodeWorkers(recs, workers)
	parts := make([][]indexEntry, workers)
	for i := range parts { // about three entries a record
		parts[i] = make([]indexEntry, 0, 3*(len(recs)*(i+1)/workers-len(recs)*i/workers))
	}
	opens := make([]uint64, workers)
	err := eachDecoded(recs, workers, func(i int, r model.Record) {
		if r.Ticket != nil && r.Ticket.Open() {
			opens[i]++
		}
		parts[i] = append(parts[i], recordIndexEntries(r)...)
	})
	if err != nil {
		return nil, 0, err
	}
	var all []indexEntry
	var open uint64
	for i := range workers {
		all = append(all, parts[i]...)
		open += opens[i]
	}
	return all, open, nil
}

// putIndexEntries puts entries into their buckets, each bucket's in key
// order; the customer index's keys go to customers (buildIndexes says why).
func putIndexEntries(tx *bolt.Tx, entries []indexEntry, customers *keyRun) error {
	for _, e := range entries {
		if bytes.Equal(e.bucket, bucketIdxCustomer) {
			customers.add(e.key)
		}
	}
	for _, name := range indexBuckets {
		if bytes.Equal(name, bucketIdxCustomer) {
			continue
		}
		var keys, values [][]byte
		for _, e := range entries {
			if !bytes.Equal(e.bucket, name) {
				continue
			}
			v := e.value
			if v == nil {
				v = []byte{}
			}
			keys, values = append(keys, e.key), append(values, v)
		}
		if len(keys) == 0 {
			continue
		}
		if err := putSortedValues(tx.Bucket(name), keys, values); err != nil {
			return fmt.Errorf("index %s: %w", name, err)
		}
	}
	return nil
}
