package store

import (
	bolt "go.etcd.io/bbolt"
)

// bucketReplies maps an idempotency key → the answer a server gave to the
// request that carried it, so a retried request gets the same answer and
// its change is applied once. The hub keeps its action replies here.
var bucketReplies = []byte("replies")

// Reply returns the stored answer for key, nil when there is none. It sees
// this transaction's own writes.
func (w *Writer) Reply(key string) []byte {
	v := w.tx.Bucket(bucketReplies).Get([]byte(key))
	if v == nil {
		return nil
	}
	return append([]byte(nil), v...)
}

// PutReply stores the answer given to key, in the same transaction as the
// change it reports.
func (w *Writer) PutReply(key string, value []byte) error {
	return w.tx.Bucket(bucketReplies).Put([]byte(key), append([]byte(nil), value...))
}

// Reply reads a stored answer outside a write.
func (s *Store) Reply(key string) ([]byte, error) {
	var out []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketReplies).Get([]byte(key)); v != nil {
			out = append([]byte(nil), v...)
		}
		return nil
	})
	return out, err
}
