package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model/alert"
)

// Every time an alert fires (it is new, or fires again after it resolved),
// PutAlert appends it to bucketFirings in the same transaction: sequence →
// the alert's JSON. The process that holds the store runs the rules'
// webhook and hook actions from there (store/deliver), once per firing,
// and drops what it handled; consoles ring their bell from the alert list.
var bucketFirings = []byte("alert_firings")

var metaFiringSeq = []byte("alert_firing_seq")

func init() { allBuckets = append(allBuckets, bucketFirings) }

// Firing is one alert firing, in the order they happened.
type Firing struct {
	Seq   uint64
	Alert alert.Alert
}

// recordFiring appends a firing when a moves to firing from nothing or
// from resolved.
func (w *Writer) recordFiring(prev *alert.Alert, a alert.Alert) error {
	if a.State != alert.Firing || (prev != nil && prev.State != alert.Resolved && prev.FiredAt.Equal(a.FiredAt)) {
		return nil
	}
	v, err := json.Marshal(a)
	if err != nil {
		return err
	}
	seq := readU64(w.meta.Get(metaFiringSeq)) + 1
	b := w.tx.Bucket(bucketFirings)
	b.FillPercent = fillAppend
	if err := b.Put(u64(seq), v); err != nil {
		return err
	}
	// Bounded when nothing handles them (no rule has a webhook or hook
	// action): the oldest beyond maxFirings go.
	if seq > maxFirings {
		if err := b.Delete(u64(seq - maxFirings)); err != nil {
			return err
		}
	}
	return w.meta.Put(metaFiringSeq, u64(seq))
}

// maxFirings bounds the firings kept unhandled.
const maxFirings = 1000

// Firings lists up to limit firings with a sequence above after.
func (s *Store) Firings(after uint64, limit int) ([]Firing, error) {
	var out []Firing
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFirings)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Seek(u64(after + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			var a alert.Alert
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("%w: alert firing %d: %v", ErrCorrupt, readU64(k), err)
			}
			out = append(out, Firing{Seq: readU64(k), Alert: a})
		}
		return nil
	})
	return out, err
}

// DropFiring forgets a handled firing.
func (w *Writer) DropFiring(seq uint64) error {
	return w.tx.Bucket(bucketFirings).Delete(u64(seq))
}
