package store

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model/alert"
)

// bucketAlerts maps an alert's dedupe key → its JSON: one alert per key,
// kept across restarts with its lifecycle.
var bucketAlerts = []byte("alerts")

func init() { allBuckets = append(allBuckets, bucketAlerts) }

// PutAlert stores an alert in the write transaction.
func (w *Writer) PutAlert(a alert.Alert) error {
	v, err := json.Marshal(a)
	if err != nil {
		return err
	}
	w.change.Meta, w.change.Alerts = true, true
	return w.tx.Bucket(bucketAlerts).Put([]byte(a.Key), v)
}

// Alert reads one alert in the write transaction; nil when there is none.
func (w *Writer) Alert(key string) (*alert.Alert, error) {
	return getAlert(w.tx, key)
}

func getAlert(tx *bolt.Tx, key string) (*alert.Alert, error) {
	v := tx.Bucket(bucketAlerts).Get([]byte(key))
	if v == nil {
		return nil, nil
	}
	var a alert.Alert
	if err := json.Unmarshal(v, &a); err != nil {
		return nil, fmt.Errorf("%w: alert %s: %v", ErrCorrupt, key, err)
	}
	return &a, nil
}

// Alerts lists the stored alerts, newest fired first; resolved ones only
// when all is set.
func (s *Store) Alerts(all bool) ([]alert.Alert, error) {
	var out []alert.Alert
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAlerts).ForEach(func(k, v []byte) error {
			var a alert.Alert
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("%w: alert %s: %v", ErrCorrupt, k, err)
			}
			if all || a.Active() {
				out = append(out, a)
			}
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].FiredAt.After(out[j].FiredAt) })
	return out, err
}

// AckAlert acknowledges an active alert.
func (s *Store) AckAlert(key, by string, at time.Time) (alert.Alert, error) {
	var acked alert.Alert
	_, err := s.Update(func(w *Writer) error {
		a, err := w.Alert(key)
		if err != nil {
			return err
		}
		if a == nil {
			return fmt.Errorf("%w %q", ErrNoAlert, key)
		}
		acked, err = alert.Acknowledge(*a, by, at)
		if err != nil {
			return err
		}
		return w.PutAlert(acked)
	})
	return acked, err
}

// Meta reads a meta value in the write transaction (nil when absent), for
// read-modify-write state such as the automations' cursor.
func (w *Writer) Meta(key string) []byte {
	if v := w.meta.Get([]byte(key)); v != nil {
		return append([]byte(nil), v...)
	}
	return nil
}
