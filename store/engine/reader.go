package engine

import (
	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
)

// Reader is a read-only view of the engine's store: what a session reads
// beyond the shared state (queue rows past the first page, a search, one
// ticket's detail). It has no method that writes, and it is a struct, not
// an interface the store satisfies, so it cannot be asserted back into
// the store.
type Reader struct{ st *store.Store }

// Ticket reads one ticket.
func (r Reader) Ticket(id string) (*model.Ticket, error) { return r.st.Ticket(id) }

// Tickets reads a page of tickets in queue order.
func (r Reader) Tickets(q store.TicketQuery) ([]*model.Ticket, error) { return r.st.Tickets(q) }

// OpenTickets counts the open tickets.
func (r Reader) OpenTickets() (int, error) { return r.st.OpenTickets() }

// FeedbackForTicket lists the answers about a ticket.
func (r Reader) FeedbackForTicket(id string) ([]*model.Feedback, error) {
	return r.st.FeedbackForTicket(id)
}

// CustomerRecords lists a customer's records.
func (r Reader) CustomerRecords(id string) ([]model.Record, error) { return r.st.CustomerRecords(id) }

// Outbox lists the entries not yet delivered (limit 0: all).
func (r Reader) Outbox(limit int) ([]store.OutboxEntry, error) { return r.st.Outbox(limit) }

// OutboxAfter lists up to limit entries after the sequence after.
func (r Reader) OutboxAfter(after uint64, limit int) ([]store.OutboxEntry, error) {
	return r.st.OutboxAfter(after, limit)
}

// ContactStates calls fn with every contact request's stored state.
func (r Reader) ContactStates(fn func(key string, v []byte) error) error {
	return r.st.ContactStates(fn)
}

// Records reads the records of a kind by id (those gone are skipped).
func (r Reader) Records(kind string, ids []string) ([]model.Record, error) {
	return r.st.Records(kind, ids)
}

// EverSynced reports whether the store has pulled from a remote.
func (r Reader) EverSynced() (bool, error) { return r.st.EverSynced() }

// Alerts lists the stored alerts (all: resolved ones too).
func (r Reader) Alerts(all bool) ([]alert.Alert, error) { return r.st.Alerts(all) }

// ViewRollups runs fn on one consistent read of the rollups.
func (r Reader) ViewRollups(fn func(*store.Rollups) error) error { return r.st.ViewRollups(fn) }

// Path is the store's file.
func (r Reader) Path() string { return r.st.Path() }

// ReadOnly reports whether the store was opened read-only.
func (r Reader) ReadOnly() bool { return r.st.ReadOnly() }
