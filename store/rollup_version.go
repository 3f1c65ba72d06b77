package store

import (
	"bytes"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// rollupVersion names the set of metric families contributions writes.
// Bump it whenever a family is added or a contribution changes: rollups
// are derived from the records, so a store written with an older set is
// brought up to date by recomputing them (rebuildDerived) on its next
// writable open. A store without the meta key is version 1.
//
//	1  the families up to issue 3
//	2  tk.resolution_failed, nps.cust.n, nps.cust.sum, ev.purchase.cust
//	3  activity spans: act.first, act.last, act.gap (and act.digital.*),
//	   bucket act_hours (rollup_span.go)
//	4  day keys: every counter without a suffix also per day (rollup_pack.go)
//	5  day keys of the activity gaps too
//	6  resolved tickets by every ticket dimension (handling time and SLA
//	   per type, sub-type, source, department, assignee, segment,
//	   touchpoint), created by assignee and touchpoint, post-resolution
//	   CSAT per ticket, the closed-loop families (model/metrics_loop.go)
//	7  the hourly totals of every family in one key an hour (@tot)
const rollupVersion = 7

var metaRollupVersion = []byte("rollup_version")

// rebuildEvery bounds the memory of a rebuild: the deltas of this many
// records are merged into the staging bucket, one transaction each, before
// the next ones are read.
var rebuildEvery = 200_000

func storedRollupVersion(tx *bolt.Tx) uint64 {
	v := tx.Bucket(bucketMeta).Get(metaRollupVersion)
	if len(v) != 8 {
		return 1
	}
	return binary.BigEndian.Uint64(v)
}

// upgradeRollups rebuilds the rollups of a writable store whose rollups are
// older than this cxtop's, in one transaction: records are only read, so
// an interrupted rebuild leaves the old rollups and version in place and
// the next open starts it again.
func (s *Store) upgradeRollups() error {
	var old uint64
	var hasSpans bool
	if err := s.db.View(func(tx *bolt.Tx) error {
		old, hasSpans = storedRollupVersion(tx), tx.Bucket(bucketActHours) != nil
		return nil
	}); err != nil {
		return err
	}
	if old >= rollupVersion && hasSpans {
		return nil
	}
	if old < rollupVersion && s.onUpgrade != nil {
		s.onUpgrade(old, rollupVersion)
	}
	var err error
	if old >= rollupVersion { // a new store: nothing to derive yet
		err = s.db.Update(func(tx *bolt.Tx) error {
			_, err := tx.CreateBucket(bucketActHours)
			return err
		})
	} else {
		err = s.rebuildDerived()
	}
	if err != nil {
		return fmt.Errorf("rebuild rollups of %s (v%d → v%d): %w", s.path, old, rollupVersion, err)
	}
	return nil
}

// bucketRollupsStaging holds a rebuild's rollups until its last
// transaction moves them into bucketRollups.
var bucketRollupsStaging = []byte("rollups_rebuild")

// rebuildDerived recomputes the rollups and activity spans from the
// records and writes the rollup version. The records are read a chunk of
// rebuildEvery a transaction (bbolt splits a transaction's nodes only at
// its commit: merging a whole store's deltas in one transaction inserted
// keys into the middle of ever larger nodes, and moved their tails each
// time), their sums staged in a bucket of their own; the last transaction
// derives the activity spans from the staged sums, writes bucketActHours
// and the rollups in key order (appends only) and the version. When every
// record fits in one chunk, nothing is staged: that one transaction does
// it all from the sums in memory, and the rollups are written once. The
// old rollups and version stay until the last transaction commits, so an
// interrupted rebuild starts again at the next writable open; until then
// the old version makes every reader refuse the store (RollupsOutdated).
func (s *Store) rebuildDerived() error { return s.rebuildDerivedTo(false) }

// rebuildDerivedTo is rebuildDerived; with inPlace, the sums are staged in
// the rollups bucket itself (emptied first), and the last transaction only
// adds the activity spans to it: for a bulk load (bulk_load.go), whose
// marker, not the old rollups, makes an interrupted rebuild visible, and
// whose rollups are empty until it ends. That last transaction then
// rewrites only the keys the spans touch instead of every rollup, which
// was the largest heap of a bulk load (bbolt keeps every node a
// transaction writes until its commit).
func (s *Store) rebuildDerivedTo(inPlace bool) error {
	staging := bucketRollupsStaging
	if inPlace {
		staging = bucketRollups
	}
	// One chunk a transaction, resuming after the last record read.
	buckets := [][]byte{bucketTickets, bucketFeedback, bucketEvents}
	bi, after := 0, []byte(nil)
	// Records read so far of how many, for Options.OnRebuildProgress.
	done, total := 0, 0
	if s.onRebuild != nil {
		if err := s.db.View(func(tx *bolt.Tx) error {
			for _, name := range buckets {
				total += tx.Bucket(name).Stats().KeyN
			}
			return nil
		}); err != nil {
			return err
		}
	}
	first, finished := true, false
	for bi < len(buckets) {
		err := s.db.Update(func(tx *bolt.Tx) error {
			if first { // what an interrupted rebuild staged goes
				if err := recreateBucket(tx, staging); err != nil {
					return err
				}
			}
			// The chunk's stored values, read before anything is written
			// (they point into the file's map), decoded on every core.
			recs := make([]storedRecord, 0, min(rebuildEvery, 1<<16))
			for bi < len(buckets) && len(recs) < rebuildEvery {
				c := tx.Bucket(buckets[bi]).Cursor()
				k, v := c.First()
				if after != nil {
					if k, v = c.Seek(after); k != nil && bytes.Equal(k, after) {
						k, v = c.Next()
					}
				}
				for ; k != nil && len(recs) < rebuildEvery; k, v = c.Next() {
					recs = append(recs, storedRecord{buckets[bi], k, v})
					after = append(after[:0], k...)
				}
				if k == nil { // this bucket is done
					bi, after = bi+1, nil
				}
			}
			deltas, err := contributionsOf(recs, rebuildWorkers())
			if err != nil {
				return err
			}
			done += len(recs)
			if first && bi == len(buckets) {
				finished = true
				return finishRebuild(tx, nil, deltas)
			}
			w := &Writer{tx: tx, meta: tx.Bucket(bucketMeta), deltas: deltas}
			return w.mergeDeltasInto(tx.Bucket(staging))
		})
		if err != nil {
			return err
		}
		first = false
		if s.onRebuild != nil {
			s.onRebuild(min(done, total), total)
		}
	}
	if finished {
		return nil
	}
	if inPlace {
		return s.db.Update(finishRebuildInPlace)
	}
	return s.db.Update(func(tx *bolt.Tx) error { return finishRebuild(tx, tx.Bucket(bucketRollupsStaging), nil) })
}

// RollupsOutdated is nil when the rollups hold every family this cxtop
// reads, otherwise an error saying what to run. A read-only open cannot
// rebuild them; the KPIs read from the newer families would be wrong.
func (s *Store) RollupsOutdated() error {
	var v uint64
	if err := s.db.View(func(tx *bolt.Tx) error { v = storedRollupVersion(tx); return nil }); err != nil {
		return err
	}
	if v >= rollupVersion {
		return nil
	}
	return fmt.Errorf("%w: %s has rollups v%d, this cxtop reads v%d", ErrRollupsOutdated, s.path, v, rollupVersion)
}
