// Package deliver delivers the outbox's contact requests (detractor
// follow-ups, post-resolution surveys, chatbot escalation notices,
// form-abandonment reminders) through channel drivers: a webhook, email
// over SMTP, and Zalo ZNS template messages (docs/contacts.md).
//
// Each request moves queued → sending → sent or delivered, or failed (for
// good, with the reason), or dead (retries spent). The state commits in the
// store with the outbox acknowledgement, and "sending" commits before the
// message leaves, so a process killed at any instant never sends a request
// twice: on restart a request found "sending" is retried only through a
// driver whose receiver drops duplicates by the idempotency key (the
// webhook); otherwise it is failed with the reason, never resent.
//
// Only the store that queued the requests (the origin: a hub, or a store
// nobody syncs from) has any; replicas queue none, so they send none.
package deliver

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
)

// Delivery statuses.
const (
	StatusQueued    = "queued"    // waiting: first try, a retry, quiet hours or the cap
	StatusSending   = "sending"   // handed to a driver; the answer is not in yet
	StatusSent      = "sent"      // the provider accepted it (SMTP, Zalo)
	StatusDelivered = "delivered" // the receiver confirmed it (the webhook's 2xx)
	StatusFailed    = "failed"    // refused for good, or its outcome unknown: never retried
	StatusDead      = "dead"      // dead-letter: every try failed
)

// Statuses lists them in lifecycle order.
var Statuses = []string{StatusQueued, StatusSending, StatusSent, StatusDelivered, StatusFailed, StatusDead}

// Final reports whether a status ends the request's life.
func Final(status string) bool {
	return slices.Contains([]string{StatusSent, StatusDelivered, StatusFailed, StatusDead}, status)
}

// Request is a contact request with its delivery state.
type Request struct {
	alert.Contact
	Seq       uint64    `json:"seq"` // its outbox entry
	Status    string    `json:"status"`
	Attempts  int       `json:"attempts"`
	NextAt    time.Time `json:"next_at,omitzero"`
	Reason    string    `json:"reason,omitempty"`
	Driver    string    `json:"driver,omitempty"`
	MessageID string    `json:"message_id,omitempty"`
	SentAt    time.Time `json:"sent_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// Reader is what listing the requests reads: a store, or an engine's
// read-only view of one (a console session holds no store).
type Reader interface {
	ContactStates(fn func(key string, v []byte) error) error
	OutboxAfter(after uint64, limit int) ([]store.OutboxEntry, error)
}

// List returns every contact request of the store with its state: those
// with a kept state, and those still queued in the outbox that no
// deliverer has looked at.
func List(st Reader) ([]Request, error) {
	seen := map[string]bool{}
	var out []Request
	err := st.ContactStates(func(key string, v []byte) error {
		var r Request
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("contact %s: %w: %v", key, store.ErrCorrupt, err)
		}
		seen[key] = true
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var after uint64
	for {
		entries, err := st.OutboxAfter(after, 1000)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			after = e.Seq
			if e.Kind != store.OutboxContact || seen[e.Key] {
				continue
			}
			r, err := fromOutbox(e)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		if len(entries) < 1000 {
			break
		}
	}
	slices.SortFunc(out, func(a, b Request) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return int(a.Seq) - int(b.Seq)
	})
	return out, nil
}

func fromOutbox(e store.OutboxEntry) (Request, error) {
	r := Request{Seq: e.Seq, Status: StatusQueued}
	if err := json.Unmarshal(e.Payload, &r.Contact); err != nil {
		return r, fmt.Errorf("outbox entry %d (%s): %w: not a contact request: %v", e.Seq, e.Key, store.ErrCorrupt, err)
	}
	if r.Key == "" {
		r.Key = e.Key
	}
	return r, nil
}

// ForTicket lists the requests about one ticket (the ticket detail).
func ForTicket(st Reader, ticketID string) ([]Request, error) {
	all, err := List(st)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(r Request) bool { return r.TicketID != ticketID }), nil
}

// Cancel fails every request of a customer not yet final (the customer
// was forgotten) and re-keys their states to the erased id. It returns how
// many it cancelled.
func Cancel(st *store.Store, customerID, erasedID, reason string, now time.Time) (int, error) {
	all, err := List(st)
	if err != nil {
		return 0, err
	}
	n := 0
	_, err = st.Update(func(w *store.Writer) error {
		for _, r := range all {
			if r.CustomerID != customerID {
				continue
			}
			r.CustomerID = erasedID
			if !Final(r.Status) {
				r.Status, r.Reason, r.UpdatedAt = StatusFailed, reason, now.UTC()
				n++
				if err := w.AckOutbox(r.Seq); err != nil {
					return err
				}
			}
			if err := putState(w, r); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

func putState(w *store.Writer, r Request) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return w.PutContactState(r.Key, b)
}
