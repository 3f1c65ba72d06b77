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
// kept across restarts with its lifecycle. bucketIdxAlerts (schema 2)
// orders them by state, then newest fired first (alertIndexKey), so the
// feed's first page and the count of active alerts read a few keys
// instead of decoding every alert.
var (
	bucketAlerts    = []byte("alerts")
	bucketIdxAlerts = []byte("idx_alerts")
)

func init() { allBuckets = append(allBuckets, bucketAlerts, bucketIdxAlerts) }

// State prefixes of bucketIdxAlerts: active (firing or acknowledged)
// sorts before resolved.
const (
	alertIdxActive   byte = 'a'
	alertIdxResolved byte = 'r'
)

// alertIndexKey is state, then the fired time inverted (newest first),
// then the alert's key.
func alertIndexKey(a *alert.Alert) []byte {
	state := alertIdxResolved
	if a.Active() {
		state = alertIdxActive
	}
	t := timeKey(a.FiredAt)
	for i := range t {
		t[i] = ^t[i]
	}
	return join([]byte{state}, t, []byte(a.Key))
}

// alertIndexHeader is the length of an alert index key before the alert's key.
const alertIndexHeader = 1 + 8

// PutAlert stores an alert in the write transaction, moving its index entry.
func (w *Writer) PutAlert(a alert.Alert) error {
	v, err := json.Marshal(a)
	if err != nil {
		return err
	}
	prev, err := getAlert(w.tx, a.Key)
	if err != nil {
		return err
	}
	idx := w.tx.Bucket(bucketIdxAlerts)
	if prev != nil {
		if err := idx.Delete(alertIndexKey(prev)); err != nil {
			return err
		}
	}
	if err := idx.Put(alertIndexKey(&a), []byte{}); err != nil {
		return err
	}
	if err := w.recordFiring(prev, a); err != nil {
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
	if !all && s.schema >= 2 {
		list, _, err := s.AlertFeed(-1, false)
		return list, err
	}
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

// AlertFeed is what the alert feed shows: up to limit alerts (all when
// limit < 0), the active ones newest fired first, then — when resolved is
// set — the resolved ones newest fired first; and how many are active. It
// decodes only the alerts it returns.
func (s *Store) AlertFeed(limit int, resolved bool) (list []alert.Alert, active int, err error) {
	if s.schema < 2 { // a read-only store from before the index
		all, err := s.Alerts(true)
		if err != nil {
			return nil, 0, err
		}
		sort.SliceStable(all, func(i, j int) bool { return all[i].Active() && !all[j].Active() })
		for _, a := range all {
			if a.Active() {
				active++
			}
			if (a.Active() || resolved) && (limit < 0 || len(list) < limit) {
				list = append(list, a)
			}
		}
		return list, active, nil
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketIdxAlerts).Cursor()
		ab := tx.Bucket(bucketAlerts)
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if len(k) <= alertIndexHeader {
				return fmt.Errorf("%w: short key in %s: run 'cxtop check'", ErrCorrupt, bucketIdxAlerts)
			}
			full := limit >= 0 && len(list) >= limit
			if k[0] == alertIdxActive {
				active++
			} else if !resolved || full {
				break // every active one (they sort first) is counted
			}
			if full {
				continue
			}
			key := k[alertIndexHeader:]
			v := ab.Get(key)
			if v == nil {
				return fmt.Errorf("%w: %s names missing alert %q: run 'cxtop check'", ErrCorrupt, bucketIdxAlerts, key)
			}
			var a alert.Alert
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("%w: alert %s: %v", ErrCorrupt, key, err)
			}
			list = append(list, a)
		}
		return nil
	})
	return list, active, err
}

// ActiveAlertKeys is the set of keys of the active alerts, read from the
// index without decoding one (nil on a read-only store from before it).
func (s *Store) ActiveAlertKeys() (map[string]bool, error) {
	if s.schema < 2 {
		return nil, nil
	}
	keys := map[string]bool{}
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketIdxAlerts).Cursor()
		for k, _ := c.Seek([]byte{alertIdxActive}); k != nil && k[0] == alertIdxActive; k, _ = c.Next() {
			keys[string(k[min(len(k), alertIndexHeader):])] = true
		}
		return nil
	})
	return keys, err
}

// checkAlertIndex verifies bucketIdxAlerts against the alerts.
func checkAlertIndex(tx *bolt.Tx, rep *CheckReport) {
	idx := tx.Bucket(bucketIdxAlerts)
	n := 0
	tx.Bucket(bucketAlerts).ForEach(func(k, v []byte) error {
		var a alert.Alert
		if err := json.Unmarshal(v, &a); err != nil {
			rep.problem("alert %q: unreadable: %v", k, err)
			return nil
		}
		n++
		if idx.Get(alertIndexKey(&a)) == nil {
			rep.problem("index %s: missing entry for alert %q", bucketIdxAlerts, k)
		}
		return nil
	})
	rep.IndexEntries += idx.Stats().KeyN
	if got := idx.Stats().KeyN; got != n {
		rep.problem("index %s: %d entries, alerts give %d (stray entries)", bucketIdxAlerts, got, n)
	}
}
