package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// rollupVersion names the set of metric families contributions writes.
// Bump it whenever a family is added or a contribution changes: rollups
// are derived from the records, so a store written with an older set is
// brought up to date by recomputing them (rebuildRollups) on its next
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
const rollupVersion = 6

var metaRollupVersion = []byte("rollup_version")

// rebuildEvery bounds the memory of a rebuild: the deltas of this many
// records are merged into the bucket before the next ones are read.
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
	err := s.db.Update(func(tx *bolt.Tx) error {
		if old >= rollupVersion { // a new store: nothing to derive yet
			_, err := tx.CreateBucket(bucketActHours)
			return err
		}
		if err := rebuildRollups(tx, s.onRebuild); err != nil {
			return err
		}
		if err := rebuildSpans(tx); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(metaRollupVersion, u64(rollupVersion))
	})
	if err != nil {
		return fmt.Errorf("rebuild rollups of %s (v%d → v%d): %w", s.path, old, rollupVersion, err)
	}
	return nil
}

// rebuildRollups replaces the rollups bucket by the sum of every record's
// contributions: what cxtop check compares it with. progress, when set,
// hears how far it is.
func rebuildRollups(tx *bolt.Tx, progress func(records, total int)) error {
	if err := tx.DeleteBucket(bucketRollups); err != nil {
		return err
	}
	if _, err := tx.CreateBucket(bucketRollups); err != nil {
		return err
	}
	w := &Writer{tx: tx, meta: tx.Bucket(bucketMeta), deltas: rollupDeltas{}}
	w.keys.sink = w.deltas.add
	w.seq = readU64(w.meta.Get(metaSeq))
	n, total := 0, 0
	if progress != nil {
		for _, name := range [][]byte{bucketTickets, bucketFeedback, bucketEvents} {
			total += tx.Bucket(name).Stats().KeyN
		}
	}
	for _, name := range [][]byte{bucketTickets, bucketFeedback, bucketEvents} {
		err := tx.Bucket(name).ForEach(func(k, v []byte) error {
			r, err := decodeStored(v)
			if err != nil {
				return fmt.Errorf("%w: %s %q: %v", ErrCorrupt, name, k, err)
			}
			contributions(r, 1, &w.keys)
			if n++; n%rebuildEvery == 0 {
				if progress != nil {
					progress(n, total)
				}
				if err := w.mergeDeltas(); err != nil {
					return err
				}
				w.deltas = rollupDeltas{}
				w.keys.sink = w.deltas.add
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if progress != nil {
		progress(n, n) // the last call says it is done
	}
	return w.mergeDeltas()
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
