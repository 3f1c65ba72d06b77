package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
)

// lastActivity is the time of a ticket's update-time index entry: its
// update time, or its resolution or creation when those are later (a
// remote that does not bump updated_at on resolving), so every ticket
// created or resolved after a time is found from that time on.
func lastActivity(t *model.Ticket) time.Time {
	at := t.UpdatedAt
	for _, x := range []time.Time{t.CreatedAt, t.ResolvedAt} {
		if x.After(at) {
			at = x
		}
	}
	return at
}

// RecentIDs lists, from one read transaction, the tickets active (created,
// updated or resolved) at or after since and the feedback given at or after
// it, oldest first, with the change-log sequence they were read at. It is
// how the automations' first pass reads only their horizon instead of the
// whole change log: a record whose own times are all before since is
// among neither.
func (s *Store) RecentIDs(since time.Time) (tickets, feedback []string, seq uint64, err error) {
	if s.schema < 2 {
		return nil, nil, 0, fmt.Errorf("recent records of %s: schema v%d has no index of feedback by time: open it for writing to upgrade it", s.path, s.schema)
	}
	from := timeKey(since)
	err = s.db.View(func(tx *bolt.Tx) error {
		seq = readU64(tx.Bucket(bucketMeta).Get(metaSeq))
		for _, ix := range []struct {
			bucket []byte
			out    *[]string
		}{{bucketIdxUpdated, &tickets}, {bucketIdxFeedbackAt, &feedback}} {
			c := tx.Bucket(ix.bucket).Cursor()
			for k, _ := c.Seek(from); k != nil; k, _ = c.Next() {
				if len(k) <= 8 || bytes.Equal(k[:8], timeKey(time.Time{})) {
					continue // no time: not recent
				}
				*ix.out = append(*ix.out, string(k[8:]))
			}
		}
		return nil
	})
	return tickets, feedback, seq, err
}

// Records reads records of one kind by id, in the order given, from one
// read transaction; ids not found are skipped.
func (s *Store) Records(kind string, ids []string) ([]model.Record, error) {
	out := make([]model.Record, 0, len(ids))
	err := s.db.View(func(tx *bolt.Tx) error {
		b, _ := recordBucket(tx, kind)
		for _, id := range ids {
			v := b.Get([]byte(id))
			if v == nil {
				continue
			}
			r, err := decodeStored(v)
			if err != nil {
				return fmt.Errorf("%w: %s %s: %v", ErrCorrupt, kind, id, err)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// OpenTicket is an entry of the index of open tickets by creation time.
type OpenTicket struct {
	ID        string
	CreatedAt time.Time
}

// OpenCreatedBefore lists the open tickets created before t, oldest first,
// from the index alone (no ticket is decoded): what the age rules judge.
// ok is false on a read-only store from before the index.
func (s *Store) OpenCreatedBefore(t time.Time) (list []OpenTicket, ok bool, err error) {
	if s.schema < 2 {
		return nil, false, nil
	}
	end := timeKey(t)
	err = s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketIdxOpenCreated).Cursor()
		for k, _ := c.First(); k != nil && bytes.Compare(k[:min(8, len(k))], end) < 0; k, _ = c.Next() {
			if len(k) <= 8 {
				return fmt.Errorf("%w: short key in %s", ErrCorrupt, bucketIdxOpenCreated)
			}
			list = append(list, OpenTicket{ID: string(k[8:]), CreatedAt: timeFromKey(k[:8])})
		}
		return nil
	})
	return list, true, err
}

// timeFromKey inverts timeKey (to the second).
func timeFromKey(k []byte) time.Time {
	v := binary.BigEndian.Uint64(k)
	if v == math.MaxUint64 {
		return time.Time{}
	}
	return time.Unix(int64(v^(1<<63)), 0).UTC()
}

// Alert reads one stored alert; nil when there is none.
func (s *Store) Alert(key string) (*alert.Alert, error) {
	var a *alert.Alert
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		a, err = getAlert(tx, key)
		return err
	})
	return a, err
}
