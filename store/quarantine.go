package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The quarantine keeps what a sync could not map (a Zendesk value this
// version does not understand, a hub record that fails validation): raw, with
// the reason, so the sync moves on and an upgrade can re-apply it.
//
// bucketQuarantine maps source NUL kind NUL id → Quarantined JSON. A later
// version of the same record that maps replaces it (Writer.Unquarantine).
var bucketQuarantine = []byte("quarantine")

// Quarantined is one record a sync could not map.
type Quarantined struct {
	Source string `json:"source"` // the adapter: "zendesk", "hub"
	Kind   string `json:"kind,omitempty"`
	ID     string `json:"id,omitempty"`
	Reason string `json:"reason"`
	// Mapped says Raw is already a cxtop record (it failed validation);
	// otherwise Raw is what the source sent.
	Mapped bool            `json:"mapped,omitempty"`
	Raw    json.RawMessage `json:"raw"`
	At     time.Time       `json:"at"`
}

func quarantineKey(source, kind, id string) []byte {
	return []byte(source + "\x00" + kind + "\x00" + id)
}

// Quarantine keeps q, replacing an earlier entry for the same record.
func (w *Writer) Quarantine(q Quarantined) error {
	if len(q.Raw) == 0 || !json.Valid(q.Raw) {
		b, _ := json.Marshal(string(q.Raw))
		q.Raw = b
	}
	v, err := json.Marshal(q)
	if err != nil {
		return fmt.Errorf("quarantine %s %s: %w", q.Kind, q.ID, err)
	}
	w.change.Meta = true
	return w.tx.Bucket(bucketQuarantine).Put(quarantineKey(q.Source, q.Kind, q.ID), v)
}

// Unquarantine drops the entry for a record that has now been applied.
func (w *Writer) Unquarantine(source, kind, id string) error {
	b := w.tx.Bucket(bucketQuarantine)
	if k, _ := b.Cursor().First(); k == nil {
		return nil // the usual case: nothing quarantined
	}
	key := quarantineKey(source, kind, id)
	if b.Get(key) == nil {
		return nil
	}
	w.change.Meta = true
	return b.Delete(key)
}

// DropQuarantined removes an entry once its record has been applied.
func (w *Writer) DropQuarantined(q Quarantined) error {
	w.change.Meta = true
	return w.tx.Bucket(bucketQuarantine).Delete(quarantineKey(q.Source, q.Kind, q.ID))
}

// QuarantineList returns up to limit quarantined records (0: all), in key
// order.
func (s *Store) QuarantineList(limit int) ([]Quarantined, error) {
	var out []Quarantined
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketQuarantine)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.First(); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Next() {
			var q Quarantined
			if err := json.Unmarshal(v, &q); err != nil {
				return fmt.Errorf("%w: quarantine entry %q: %v", ErrCorrupt, k, err)
			}
			out = append(out, q)
		}
		return nil
	})
	return out, err
}

// QuarantineLen counts the quarantined records.
func (s *Store) QuarantineLen() (int, error) {
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketQuarantine); b != nil {
			n = b.Stats().KeyN
		}
		return nil
	})
	return n, err
}
