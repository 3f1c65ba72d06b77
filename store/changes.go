package store

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// metaStoreID names the random identity of a store file. A hub puts it in
// its cursors, so a cursor from another (or a recreated) store is refused
// instead of silently skipping records.
var metaStoreID = []byte("store_id")

// ID returns the store's random identity, creating it on first use when the
// store is writable. A read-only store without one reports "".
func (s *Store) ID() (string, error) {
	var id string
	err := s.db.View(func(tx *bolt.Tx) error {
		id = string(tx.Bucket(bucketMeta).Get(metaStoreID))
		return nil
	})
	if err != nil || id != "" || s.readOnly {
		return id, err
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(metaStoreID); v != nil {
			id = string(v)
			return nil
		}
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return err
		}
		id = hex.EncodeToString(b[:])
		return meta.Put(metaStoreID, []byte(id))
	})
	if err != nil {
		return "", fmt.Errorf("store id of %s: %w", s.path, err)
	}
	return id, nil
}

// Changes returns, from one read transaction, the canonical export JSON of
// up to limit records whose latest version was committed after sequence
// after, in commit order. last is the sequence of the last entry returned
// (after itself when none is); hasMore says whether later ones exist. A
// client that resumes from any last it was given misses nothing and sees a
// record again only as a newer version: the change log keeps each record's
// latest version only. Tombstones are skipped: ChangeLog returns them.
func (s *Store) Changes(after uint64, limit int) (lines [][]byte, last uint64, hasMore bool, err error) {
	p, err := s.ChangeLog(after, limit)
	return p.Lines, p.Last, p.HasMore, err
}

// ChangePage is a run of the change log: records and tombstones.
type ChangePage struct {
	Lines   [][]byte  // canonical export JSON of the records
	Deleted []Deleted // records deleted at the source (delete.go)
	Last    uint64
	HasMore bool
}

// ChangeLog is Changes with the tombstones: up to limit entries after
// sequence after, records and deletions together. Each id appears at most
// once in the log, so the order between Lines and Deleted does not matter.
func (s *Store) ChangeLog(after uint64, limit int) (ChangePage, error) {
	return s.ChangeLogBytes(after, limit, 0)
}

// ChangeLogBytes is ChangeLog that also stops before the records' bytes
// pass maxBytes (0: no bound), so a page of large tickets stays a page a
// client can read; a page always holds at least one entry.
func (s *Store) ChangeLogBytes(after uint64, limit int, maxBytes int) (ChangePage, error) {
	size := 0
	if limit <= 0 {
		limit = 1000
	}
	p := ChangePage{Last: after}
	var buf []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		buckets := map[byte]*bolt.Bucket{
			kindTicket:   tx.Bucket(bucketTickets),
			kindFeedback: tx.Bucket(bucketFeedback),
			kindEvent:    tx.Bucket(bucketEvents),
		}
		c := tx.Bucket(bucketLog).Cursor()
		for k, v := c.Seek(u64(after + 1)); k != nil; k, v = c.Next() {
			if len(p.Lines)+len(p.Deleted) == limit {
				p.HasMore = true
				return nil
			}
			if d, ok := tombstoneRef(v); ok {
				p.Deleted = append(p.Deleted, d)
				p.Last = readU64(k)
				continue
			}
			if len(v) < 2 || buckets[v[0]] == nil {
				return fmt.Errorf("%w: log entry %d is malformed", ErrCorrupt, readU64(k))
			}
			rec := buckets[v[0]].Get(v[1:])
			if len(rec) <= 8 {
				return fmt.Errorf("%w: log entry %d names a missing record %q", ErrCorrupt, readU64(k), v[1:])
			}
			// The lines are written one after the other into buf, not each
			// into a slice of its own grown from nothing: the JSON of a
			// 5,000-record page cost ~0.5 s of growing slices over the
			// demo's 90 days. A line keeps its part of the array it was
			// written in when buf grows, and is capped so that appending
			// to it copies.
			start := len(buf)
			out, err := exportLine(buf, rec)
			if err != nil {
				return fmt.Errorf("%w: log entry %d names %q: %v", ErrCorrupt, readU64(k), v[1:], err)
			}
			line := out[start:len(out):len(out)]
			if maxBytes > 0 && len(p.Lines)+len(p.Deleted) > 0 && size+len(line) > maxBytes {
				p.HasMore = true
				return nil
			}
			buf = out
			size += len(line)
			p.Lines = append(p.Lines, line)
			p.Last = readU64(k)
		}
		return nil
	})
	if err != nil {
		return ChangePage{Last: after}, fmt.Errorf("changes of %s after %d: %w", s.path, after, err)
	}
	return p, nil
}
