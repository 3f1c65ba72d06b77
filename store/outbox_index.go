package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The outbox holds every contact request the automations queue and every
// triage action taken here until the remote acknowledges it. Triage actions
// drain on each sync round; contact requests wait for a delivery channel,
// and a store with none (or a team that reviews offline) gathers tens of
// thousands. The engine asks two things of the outbox for every state it
// computes: its length (to tell a changed outbox) and which tickets have a
// pending action (the queue marks them). Schema 3 keeps both apart from
// the entries: the length in meta and the actions in bucketOutboxActions
// (sequence → ticket id), so neither reads the contact requests.

// actionTicketID is the ticket a triage action's payload names ("" when
// the payload is not a triage action).
func actionTicketID(payload []byte) string {
	var a struct {
		TicketID string `json:"ticket_id"`
	}
	if json.Unmarshal(payload, &a) != nil {
		return ""
	}
	return a.TicketID
}

// indexOutboxEntry records a queued entry in the schema 3 length and
// action index (delta +1), or its removal (-1). A writable store is always
// of the current schema: an older one is upgraded when it is opened.
func (w *Writer) indexOutboxEntry(seq uint64, kind string, payload []byte, delta int64) error {
	n := int64(readU64(w.meta.Get(metaOutboxLen))) + delta
	if err := w.meta.Put(metaOutboxLen, u64(uint64(max(n, 0)))); err != nil {
		return err
	}
	if kind != OutboxAction {
		return nil
	}
	b := w.tx.Bucket(bucketOutboxActions)
	if delta < 0 {
		return b.Delete(u64(seq))
	}
	b.FillPercent = fillAppend
	return b.Put(u64(seq), []byte(actionTicketID(payload)))
}

// buildOutboxIndex fills the schema 3 length and action index from the
// outbox's entries (the upgrade from schema 2; the bucket exists, empty).
func buildOutboxIndex(tx *bolt.Tx) error {
	actions := tx.Bucket(bucketOutboxActions)
	actions.FillPercent = fillAppend
	n := uint64(0)
	err := eachOutboxEntry(tx, func(k []byte, e OutboxEntry) error {
		n++
		if e.Kind != OutboxAction {
			return nil
		}
		return actions.Put(k, []byte(actionTicketID(e.Payload)))
	})
	if err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(metaOutboxLen, u64(n))
}

// eachOutboxEntry calls fn with each pending entry, decoded, in sequence
// order; an entry that does not decode is an error.
func eachOutboxEntry(tx *bolt.Tx, fn func(k []byte, e OutboxEntry) error) error {
	return tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
		var e OutboxEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("%w: outbox entry %d: %v: run 'cxtop check'", ErrCorrupt, readU64(k), err)
		}
		return fn(k, e)
	})
}

// PendingActions counts, per ticket, the triage actions the remote has not
// acknowledged yet.
func (s *Store) PendingActions() (map[string]int, error) {
	out := map[string]int{}
	err := s.db.View(func(tx *bolt.Tx) error {
		if s.schema >= 3 {
			return tx.Bucket(bucketOutboxActions).ForEach(func(_, id []byte) error {
				if len(id) > 0 {
					out[string(id)]++
				}
				return nil
			})
		}
		// A read-only store from before schema 3: read every entry.
		return eachOutboxEntry(tx, func(_ []byte, e OutboxEntry) error {
			if id := actionTicketID(e.Payload); e.Kind == OutboxAction && id != "" {
				out[id]++
			}
			return nil
		})
	})
	return out, err
}

// pendingActionSeqs lists the sequences of ticketID's pending triage
// actions, oldest first (copies: the caller rewrites those entries).
func (w *Writer) pendingActionSeqs(ticketID string) ([][]byte, error) {
	var seqs [][]byte
	err := w.tx.Bucket(bucketOutboxActions).ForEach(func(k, id []byte) error {
		if string(id) == ticketID {
			seqs = append(seqs, append([]byte(nil), k...))
		}
		return nil
	})
	return seqs, err
}

// checkOutboxIndex reports a kept outbox length or action index that
// disagrees with the outbox's entries.
func checkOutboxIndex(tx *bolt.Tx, rep *CheckReport) {
	want := map[string]string{}
	n := uint64(0)
	_ = tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
		n++
		var e OutboxEntry
		if err := json.Unmarshal(v, &e); err != nil {
			rep.problem("outbox entry %d: unreadable: %v", readU64(k), err)
			return nil
		}
		if e.Kind == OutboxAction {
			want[string(k)] = actionTicketID(e.Payload)
		}
		return nil
	})
	if got := readU64(tx.Bucket(bucketMeta).Get(metaOutboxLen)); got != n {
		rep.problem("meta: outbox length is %d, the outbox holds %d", got, n)
	}
	actions := tx.Bucket(bucketOutboxActions)
	_ = actions.ForEach(func(k, id []byte) error {
		switch ticket, ok := want[string(k)]; {
		case !ok:
			rep.problem("%s: entry %d names no queued action", bucketOutboxActions, readU64(k))
		case ticket != string(id):
			rep.problem("%s: entry %d names ticket %q, the action %q", bucketOutboxActions, readU64(k), id, ticket)
		}
		return nil
	})
	for k := range want {
		if actions.Get([]byte(k)) == nil {
			rep.problem("%s: queued action %d is missing", bucketOutboxActions, readU64([]byte(k)))
		}
	}
}
