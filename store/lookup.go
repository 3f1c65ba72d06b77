package store

import (
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
