package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
)

// rewriteBatch is the records rewritten per transaction.
const rewriteBatch = 5000

// RewriteRecords passes every record through fn, which changes it in place
// (masking a snapshot's personal data), and stores the result with Put:
// indexes and rollups move with what changed, so a renamed customer is
// renamed in the customer index and in the per-customer counters too.
// Meant for a copy nobody else uses (a snapshot before it is published):
// on a live store the records would change under the sync.
func (s *Store) RewriteRecords(fn func(model.Record)) error {
	for _, name := range [][]byte{bucketTickets, bucketFeedback, bucketEvents} {
		var after []byte
		for {
			var batch []model.Record
			err := s.db.View(func(tx *bolt.Tx) error {
				c := tx.Bucket(name).Cursor()
				k, v := c.First()
				if after != nil {
					if k, v = c.Seek(after); k != nil && string(k) == string(after) {
						k, v = c.Next()
					}
				}
				for ; k != nil && len(batch) < rewriteBatch; k, v = c.Next() {
					r, err := decodeStored(v)
					if err != nil {
						return fmt.Errorf("%w: %s %s: %v", ErrCorrupt, name, k, err)
					}
					batch = append(batch, r)
					after = append(after[:0], k...)
				}
				return nil
			})
			if err != nil {
				return err
			}
			if len(batch) == 0 {
				break
			}
			for _, r := range batch {
				fn(r)
			}
			if _, err := s.Write(batch); err != nil {
				return err
			}
		}
	}
	return nil
}

// RewriteAlerts passes every stored alert through fn, which changes it in
// place (masking the customers its message names).
func (s *Store) RewriteAlerts(fn func(*alert.Alert)) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAlerts)
		var keys, values [][]byte
		err := b.ForEach(func(k, v []byte) error {
			var a alert.Alert
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("%w: alert %s: %v", ErrCorrupt, k, err)
			}
			fn(&a)
			nv, err := json.Marshal(a)
			keys, values = append(keys, append([]byte(nil), k...)), append(values, nv)
			return err
		})
		if err != nil {
			return err
		}
		for i := range keys {
			if err := b.Put(keys[i], values[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// DropPending empties what waits for the remote (the outbox, its keys and
// the stored replies): a snapshot that leaves the team has nothing to
// deliver, and triage notes and contact requests name customers.
func (s *Store) DropPending() error {
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketOutbox, bucketOutboxKeys, bucketOutboxActions, bucketReplies} {
			if tx.Bucket(name) == nil {
				continue
			}
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(metaOutboxLen, u64(0))
	})
}
