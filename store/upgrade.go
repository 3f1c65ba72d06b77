package store

import (
	"bytes"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"
)

// schema2Buckets are the indexes schema 2 adds.
var schema2Buckets = [][]byte{bucketIdxFeedbackAt, bucketIdxOpenCreated, bucketIdxAlerts}

// schema3Buckets are what schema 3 adds.
var schema3Buckets = [][]byte{bucketOutboxActions}

// newInSchema reports whether a read-only store of schema v may lack the
// bucket: one a later schema adds, on a store from before it.
func newInSchema(name []byte, v uint64) bool {
	for _, added := range []struct {
		in      uint64
		buckets [][]byte
	}{{2, schema2Buckets}, {3, schema3Buckets}} {
		if v >= added.in {
			continue
		}
		for _, b := range added.buckets {
			if bytes.Equal(b, name) {
				return true
			}
		}
	}
	return false
}

// upgradeSchema brings a writable store of an older schema up to
// SchemaVersion: it builds the indexes the newer schema adds from the
// records, and records the version, in one transaction. An interrupted
// upgrade leaves the old version, and the next open starts it again.
func (s *Store) upgradeSchema() error {
	if s.schema >= SchemaVersion {
		return nil
	}
	if s.onSchemaUpgrade != nil {
		s.onSchemaUpgrade(s.schema, SchemaVersion)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		if s.schema < 2 {
			if err := upgradeToSchema2(tx); err != nil {
				return err
			}
		}
		if s.schema < 3 {
			if err := buildOutboxIndex(tx); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(metaSchema, u64(SchemaVersion))
	})
	if err != nil {
		return fmt.Errorf("upgrade %s (schema v%d → v%d): %w", s.path, s.schema, SchemaVersion, err)
	}
	s.schema = SchemaVersion
	return nil
}

// upgradeToSchema2 builds the indexes schema 2 adds from the records.
func upgradeToSchema2(tx *bolt.Tx) error {
	for _, name := range schema2Buckets {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	// The update-time index now also counts a later resolution or
	// creation (lastActivity): rebuilt from the tickets.
	if err := tx.DeleteBucket(bucketIdxUpdated); err != nil {
		return err
	}
	if _, err := tx.CreateBucket(bucketIdxUpdated); err != nil {
		return err
	}
	return buildSchema2Indexes(tx)
}

// buildSchema2Indexes fills the schema 2 indexes, each in key order so
// bbolt appends to full pages instead of splitting pages all over.
func buildSchema2Indexes(tx *bolt.Tx) error {
	// Open tickets by creation time: the queue's keys hold both.
	var keys [][]byte
	c := tx.Bucket(bucketIdxQueue).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if len(k) <= queueKeyHeader {
			return fmt.Errorf("%w: short key in %s: run 'cxtop check'", ErrCorrupt, bucketIdxQueue)
		}
		keys = append(keys, join(k[1+8+1:queueKeyHeader], k[queueKeyHeader:]))
	}
	if err := putSorted(tx.Bucket(bucketIdxOpenCreated), keys); err != nil {
		return err
	}
	keys = keys[:0]
	var sums [][]byte
	err := tx.Bucket(bucketTickets).ForEach(func(k, v []byte) error {
		r, err := decodeStored(v)
		if err != nil || r.Ticket == nil {
			return fmt.Errorf("%w: ticket %q: %v: run 'cxtop check'", ErrCorrupt, k, err)
		}
		keys = append(keys, join(timeKey(lastActivity(r.Ticket)), k))
		sums = append(sums, ticketSummary(r.Ticket))
		return nil
	})
	if err != nil {
		return err
	}
	if err := putSortedValues(tx.Bucket(bucketIdxUpdated), keys, sums); err != nil {
		return err
	}
	keys = keys[:0]
	err = tx.Bucket(bucketFeedback).ForEach(func(k, v []byte) error {
		r, err := decodeStored(v)
		if err != nil || r.Feedback == nil {
			return fmt.Errorf("%w: feedback %q: %v: run 'cxtop check'", ErrCorrupt, k, err)
		}
		keys = append(keys, join(timeKey(r.Feedback.At), k))
		return nil
	})
	if err != nil {
		return err
	}
	if err := putSorted(tx.Bucket(bucketIdxFeedbackAt), keys); err != nil {
		return err
	}
	keys = keys[:0]
	err = tx.Bucket(bucketAlerts).ForEach(func(k, v []byte) error {
		a, err := getAlert(tx, string(k))
		if err != nil {
			return err
		}
		keys = append(keys, alertIndexKey(a))
		return nil
	})
	if err != nil {
		return err
	}
	return putSorted(tx.Bucket(bucketIdxAlerts), keys)
}

func putSorted(b *bolt.Bucket, keys [][]byte) error {
	return putSortedValues(b, keys, nil)
}

// putSortedValues puts keys[i] → values[i] (empty without values) in key order.
func putSortedValues(b *bolt.Bucket, keys, values [][]byte) error {
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return bytes.Compare(keys[order[i]], keys[order[j]]) < 0 })
	b.FillPercent = fillAppend
	for _, i := range order {
		v := []byte{}
		if values != nil {
			v = values[i]
		}
		if err := b.Put(keys[i], v); err != nil {
			return err
		}
	}
	return nil
}
