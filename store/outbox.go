package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
)

// Outbox entry kinds.
const (
	OutboxAction  = "action"  // a triage action (payload: model.Action JSON)
	OutboxContact = "contact" // a contact request for the remote to deliver
)

// OutboxEntry is something written locally that the remote must learn: it
// is queued in the same transaction as the local change and removed only
// when the remote has acknowledged it.
type OutboxEntry struct {
	Seq       uint64          `json:"seq"`
	Kind      string          `json:"kind"`
	Key       string          `json:"key"` // idempotency key
	Payload   json.RawMessage `json:"payload"`
	CreatedAt time.Time       `json:"created_at"`
}

var sentMark = []byte("sent")

// Enqueue queues an entry for the remote. A key that is already queued or
// was already delivered is skipped (queued reports which), so automations
// and retries can enqueue freely.
func (w *Writer) Enqueue(kind, key string, payload []byte, at time.Time) (queued bool, err error) {
	if key == "" {
		return false, errors.New("outbox entry needs an idempotency key")
	}
	keys := w.tx.Bucket(bucketOutboxKeys)
	if keys.Get([]byte(key)) != nil {
		return false, nil
	}
	seq := readU64(w.meta.Get(metaOutboxSeq)) + 1
	e := OutboxEntry{Seq: seq, Kind: kind, Key: key, Payload: json.RawMessage(payload), CreatedAt: at.UTC()}
	v, err := json.Marshal(e)
	if err != nil {
		return false, fmt.Errorf("outbox entry %s: %w", key, err)
	}
	ob := w.tx.Bucket(bucketOutbox)
	ob.FillPercent = fillAppend
	if err := ob.Put(u64(seq), v); err != nil {
		return false, err
	}
	if err := keys.Put([]byte(key), u64(seq)); err != nil {
		return false, err
	}
	if err := w.indexOutboxEntry(seq, kind, payload, +1); err != nil {
		return false, err
	}
	w.change.Meta = true
	return true, w.meta.Put(metaOutboxSeq, u64(seq))
}

// Outbox lists up to limit pending entries, oldest first.
func (s *Store) Outbox(limit int) ([]OutboxEntry, error) { return s.OutboxAfter(0, limit) }

// OutboxAfter lists up to limit pending entries with a sequence above
// after, oldest first: a reader that skips some kinds pages past them.
func (s *Store) OutboxAfter(after uint64, limit int) ([]OutboxEntry, error) {
	var out []OutboxEntry
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketOutbox).Cursor()
		for k, v := c.Seek(u64(after + 1)); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Next() {
			var e OutboxEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("%w: outbox entry %d: %v", ErrCorrupt, readU64(k), err)
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// OutboxLen is the number of pending entries: kept in meta (schema 3),
// counted on a read-only store from before it.
func (s *Store) OutboxLen() (int, error) {
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		if s.schema >= 3 {
			n = int(readU64(tx.Bucket(bucketMeta).Get(metaOutboxLen)))
		} else {
			n = tx.Bucket(bucketOutbox).Stats().KeyN
		}
		return nil
	})
	return n, err
}

// AckOutbox removes a delivered entry; its key stays marked as sent.
func (w *Writer) AckOutbox(seq uint64) error {
	ob := w.tx.Bucket(bucketOutbox)
	v := ob.Get(u64(seq))
	if v == nil {
		return nil // already acknowledged
	}
	var e OutboxEntry
	if err := json.Unmarshal(v, &e); err != nil {
		return fmt.Errorf("%w: outbox entry %d: %v", ErrCorrupt, seq, err)
	}
	if err := ob.Delete(u64(seq)); err != nil {
		return err
	}
	if err := w.indexOutboxEntry(seq, e.Kind, e.Payload, -1); err != nil {
		return err
	}
	w.change.Meta = true
	return w.tx.Bucket(bucketOutboxKeys).Put([]byte(e.Key), sentMark)
}

// ApplyAction applies a triage action to the stored ticket and queues it
// for the remote, in one transaction: the local change and its outbox entry
// exist together or not at all. The error wraps *model.ErrConflict when
// the ticket changed since the action's base version.
func (s *Store) ApplyAction(tax *model.Taxonomy, a model.Action) (*model.Ticket, error) {
	var updated *model.Ticket
	_, err := s.Update(func(w *Writer) error {
		t, err := w.Ticket(a.TicketID)
		if err != nil {
			return err
		}
		updated, err = tax.ApplyAction(t, a)
		if err != nil {
			return err
		}
		if err := w.Put(model.Record{Ticket: updated}); err != nil {
			return err
		}
		if a.BaseStamp == "" {
			a.BaseStamp = t.SourceStamp
		}
		payload, err := json.Marshal(a)
		if err != nil {
			return err
		}
		_, err = w.Enqueue(OutboxAction, a.ID, payload, a.At)
		return err
	})
	if err != nil {
		return nil, err
	}
	return updated, nil
}

// OutboxNewest is the sequence of the newest pending entry (0 when the
// outbox is empty): a loop that remembers it can tell new entries from
// ones it already tried.
func (s *Store) OutboxNewest() (uint64, error) {
	var seq uint64
	err := s.db.View(func(tx *bolt.Tx) error {
		if k, _ := tx.Bucket(bucketOutbox).Cursor().Last(); k != nil {
			seq = readU64(k)
		}
		return nil
	})
	return seq, err
}
