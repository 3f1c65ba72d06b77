package store

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/cxtop/cxtop/model"
)

// ForgetCustomer rewrites every record of a customer with erase (the right
// to erasure: model/privacy.Erase), in one transaction. Tickets and
// feedback are found through the customer index; events, which have none,
// by reading the events bucket (seconds on a large store: a rare command).
// Each record is put again, so its rollups, indexes and activity move to
// the erased id and the counts stay; the change log carries the erased
// versions to replicas. It returns how many records it rewrote.
func (s *Store) ForgetCustomer(customerID string, erase func(model.Record)) (int, error) {
	if customerID == "" {
		return 0, errors.New("forget: the customer id is empty")
	}
	n := 0
	_, err := s.Update(func(w *Writer) error {
		var recs []model.Record
		prefix := join([]byte(customerID), nul)
		c := w.tx.Bucket(bucketIdxCustomer).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			rest := k[len(prefix):]
			if len(rest) < 2 {
				continue
			}
			b := w.tx.Bucket(bucketTickets)
			if rest[0] == kindFeedback {
				b = w.tx.Bucket(bucketFeedback)
			}
			r, err := decodeStored(b.Get(rest[1:]))
			if err != nil {
				return fmt.Errorf("%w: record %s: %v", ErrCorrupt, rest[1:], err)
			}
			recs = append(recs, r)
		}
		err := w.tx.Bucket(bucketEvents).ForEach(func(k, v []byte) error {
			// The customer id is in the stored JSON: decode only candidates.
			if !bytes.Contains(v, []byte(customerID)) {
				return nil
			}
			r, err := decodeStored(v)
			if err != nil {
				return fmt.Errorf("%w: event %s: %v", ErrCorrupt, k, err)
			}
			if r.Event.CustomerID == customerID {
				recs = append(recs, r)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, r := range recs {
			erase(r)
			if err := w.Put(r); err != nil {
				return fmt.Errorf("forget %s %s: %w", r.Kind(), r.ID(), err)
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("forget customer in %s: %w", s.path, err)
	}
	return n, nil
}
