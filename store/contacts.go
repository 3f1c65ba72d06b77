package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// bucketContacts maps a contact request's idempotency key → its delivery
// state (JSON kept by store/deliver: status, attempts, next try, reason).
// A state and the outbox acknowledgement of its request commit together,
// so a request is never both delivered and pending.
var bucketContacts = []byte("contacts")

// PutContactState keeps the delivery state of a contact request.
func (w *Writer) PutContactState(key string, state []byte) error {
	if key == "" {
		return fmt.Errorf("contact state needs the request's key")
	}
	w.change.Meta = true
	return w.tx.Bucket(bucketContacts).Put([]byte(key), append([]byte(nil), state...))
}

// ContactState reads a request's delivery state in the transaction (nil
// when none was kept yet).
func (w *Writer) ContactState(key string) []byte {
	v := w.tx.Bucket(bucketContacts).Get([]byte(key))
	return append([]byte(nil), v...)
}

// ContactStates calls fn with every kept delivery state, in key order.
func (s *Store) ContactStates(fn func(key string, state []byte) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketContacts)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error { return fn(string(k), v) })
	})
}
