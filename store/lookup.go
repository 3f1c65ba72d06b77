package store

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
)

// TicketsField reads field of each ticket in ids (sorted ids read fastest)
// in one read transaction; ids without a ticket, or whose stored value
// does not decode, are left out. It joins the per-ticket rollup families
// with the tickets' dimensions for the tickets of one window.
func (s *Store) TicketsField(ids []string, field func(*model.Ticket) string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTickets)
		for _, id := range ids {
			v := b.Get([]byte(id))
			if v == nil {
				continue
			}
			if r, err := decodeStored(v); err == nil && r.Ticket != nil {
				out[id] = field(r.Ticket)
			}
		}
		return nil
	})
	return out, err
}

// HasFeedback reports whether the store holds the feedback answer id.
func (s *Store) HasFeedback(id string) (bool, error) {
	found := false
	err := s.db.View(func(tx *bolt.Tx) error {
		found = tx.Bucket(bucketFeedback).Get([]byte(id)) != nil
		return nil
	})
	return found, err
}

// TicketsWithPrefix returns the tickets whose id starts with prefix, in id
// order: a range of the ticket bucket (the detractors' follow-ups, say).
func (s *Store) TicketsWithPrefix(prefix string) ([]*model.Ticket, error) {
	var out []*model.Ticket
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketTickets).Cursor()
		p := []byte(prefix)
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			r, err := decodeStored(v)
			if err != nil || r.Ticket == nil {
				return fmt.Errorf("%w: ticket %s: %v", ErrCorrupt, k, err)
			}
			out = append(out, r.Ticket)
		}
		return nil
	})
	return out, err
}
