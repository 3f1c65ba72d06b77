package store

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
)

func getTicket(tx *bolt.Tx, id string) (*model.Ticket, error) {
	v := tx.Bucket(bucketTickets).Get([]byte(id))
	if v == nil {
		return nil, fmt.Errorf("ticket %s: %w", id, ErrNoSuchKey)
	}
	r, err := decodeStored(v)
	if err != nil {
		return nil, fmt.Errorf("%w: ticket %s: %v", ErrCorrupt, id, err)
	}
	return r.Ticket, nil
}

// Ticket returns one ticket; the error wraps ErrNoSuchKey when there is none.
func (s *Store) Ticket(id string) (*model.Ticket, error) {
	var t *model.Ticket
	err := s.db.View(func(tx *bolt.Tx) (err error) {
		t, err = getTicket(tx, id)
		return err
	})
	return t, err
}

// TicketFilter keeps tickets whose fields equal every non-empty field here.
type TicketFilter struct {
	Status     string
	Type       string
	SubType    string
	Source     string
	Segment    string
	Department string
	// These are read from the ticket itself (the index entries do not hold
	// them), so a filter naming one decodes the tickets it scans.
	Priority  string
	Assignee  string
	Escalated Tri
	Breached  Tri       // past its SLA due time at Now (open), or resolved after it (done)
	Now       time.Time // for Breached; zero means the time of the call
}

// Tri is a yes/no filter that may be unset.
type Tri int8

// Values of a Tri.
const (
	Any Tri = iota
	Yes
	No
)

func (t Tri) allows(v bool) bool { return t == Any || (t == Yes) == v }

func (f TicketFilter) empty() bool { return f == TicketFilter{} }

// onTicket reports whether the filter names a field only the ticket holds.
func (f TicketFilter) onTicket() bool {
	return f.Priority != "" || f.Assignee != "" || f.Escalated != Any || f.Breached != Any
}

// matchTicket tests the fields the index entries do not hold.
func (f TicketFilter) matchTicket(t *model.Ticket) bool {
	now := f.Now
	if now.IsZero() {
		now = time.Now()
	}
	breached := !t.SLADueAt.IsZero() && ((t.Open() && now.After(t.SLADueAt)) || (!t.Open() && t.ResolvedAt.After(t.SLADueAt)))
	return (f.Priority == "" || t.Priority == f.Priority) && (f.Assignee == "" || t.Assignee == f.Assignee) &&
		f.Escalated.allows(t.Escalated) && f.Breached.allows(breached)
}

// match tests an index entry's summary value (see ticketSummary).
func (f TicketFilter) match(summary []byte) bool {
	if f.empty() {
		return true
	}
	parts := bytes.SplitN(summary, nul, 6)
	if len(parts) != 6 {
		return false
	}
	for i, want := range [...]string{f.Status, f.Type, f.SubType, f.Source, f.Segment, f.Department} {
		if want != "" && string(parts[i]) != want {
			return false
		}
	}
	return true
}

// TicketQuery selects a page of tickets.
type TicketQuery struct {
	Filter TicketFilter
	Offset int
	Limit  int // 0 means 50
}

// Tickets returns a page of tickets in queue order: open tickets by urgency
// (escalated, SLA due time, priority, age). A type or source filter scans
// that index's prefix, so a filtered page costs what an unfiltered one does.
// A filter on the "done" status lists done tickets instead, most recently
// updated first. Only the rows of the page are decoded.
func (s *Store) Tickets(q TicketQuery) ([]*model.Ticket, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	var out []*model.Ticket
	err := s.db.View(func(tx *bolt.Tx) error {
		bucket, prefix, header := bucketIdxQueue, []byte(nil), queueKeyHeader
		done := q.Filter.Status == model.StatusDone
		switch {
		case done:
			bucket, header = bucketIdxUpdated, 8
		case q.Filter.Type != "":
			bucket, prefix = bucketIdxType, join([]byte(q.Filter.Type), nul)
		case q.Filter.Source != "":
			bucket, prefix = bucketIdxSource, join([]byte(q.Filter.Source), nul)
		}
		c := tx.Bucket(bucket).Cursor()
		var k, v []byte
		next := c.Next
		switch {
		case done:
			k, v = c.Last()
			next = c.Prev
		case prefix != nil:
			k, v = c.Seek(prefix)
		default:
			k, v = c.First()
		}
		skip := q.Offset
		tb := tx.Bucket(bucketTickets)
		for ; k != nil && bytes.HasPrefix(k, prefix) && len(out) < q.Limit; k, v = next() {
			if !q.Filter.match(v) {
				continue
			}
			if skip > 0 && !q.Filter.onTicket() {
				skip--
				continue
			}
			rest := k[len(prefix):]
			if len(rest) <= header {
				return fmt.Errorf("%w: short key in %s", ErrCorrupt, bucket)
			}
			id := rest[header:]
			raw := tb.Get(id)
			if raw == nil {
				return fmt.Errorf("%w: index %s points at missing ticket %q", ErrCorrupt, bucket, id)
			}
			r, err := decodeStored(raw)
			if err != nil {
				return fmt.Errorf("%w: ticket %s: %v", ErrCorrupt, id, err)
			}
			if q.Filter.onTicket() {
				if !q.Filter.matchTicket(r.Ticket) {
					continue
				}
				if skip > 0 {
					skip--
					continue
				}
			}
			out = append(out, r.Ticket)
		}
		return nil
	})
	return out, err
}

// OpenTickets is the number of open tickets, kept as a counter.
func (s *Store) OpenTickets() (int, error) {
	var n int
	err := s.db.View(func(tx *bolt.Tx) error {
		n = int(readU64(tx.Bucket(bucketMeta).Get(metaOpenCount)))
		return nil
	})
	return n, err
}

// Meta reads a value stored with Writer.PutMeta; nil when absent.
func (s *Store) Meta(key string) ([]byte, error) {
	var out []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get([]byte(key)); v != nil {
			out = append([]byte(nil), v...)
		}
		return nil
	})
	return out, err
}

// Seq is the change-log sequence of the last committed write.
func (s *Store) Seq() (uint64, error) {
	var n uint64
	err := s.db.View(func(tx *bolt.Tx) error {
		n = readU64(tx.Bucket(bucketMeta).Get(metaSeq))
		return nil
	})
	return n, err
}

// Export writes every record as JSON Lines — tickets, then feedback, then
// events, each in id order — from one consistent read transaction. A value
// stored as JSON (before the binary encoding) is written as stored.
func (s *Store) Export(out io.Writer) error { return s.ExportContext(context.Background(), out) }

// ExportContext is Export that stops with ctx's error once ctx ends (a
// control-socket client that went away, or stopped reading).
func (s *Store) ExportContext(ctx context.Context, out io.Writer) error {
	bw := bufio.NewWriterSize(out, 1<<16)
	var line []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		walked := 0
		for _, name := range [][]byte{bucketTickets, bucketFeedback, bucketEvents} {
			err := tx.Bucket(name).ForEach(func(k, v []byte) error {
				if walked++; walked%cancelEvery == 1 && ctx.Err() != nil {
					return ctx.Err()
				}
				if len(v) <= 8 {
					return fmt.Errorf("%w: %s %q has a truncated value", ErrCorrupt, name, k)
				}
				// A backup is only as good as what import reads back: every
				// record is checked before it is written, so a damaged record
				// fails the export instead of becoming a garbage line.
				r, err := decodeStored(v)
				if err == nil && r.ID() != string(k) {
					err = fmt.Errorf("it says it is %s %q", r.Kind(), r.ID())
				}
				if err == nil {
					err = model.CheckRecord(r)
				}
				if err == nil {
					line, err = exportLine(line[:0], v)
				}
				if err != nil {
					return fmt.Errorf("%w: %s %q: %v: restore from a snapshot, or export with this record removed", ErrCorrupt, name, k, err)
				}
				bw.Write(line)
				return bw.WriteByte('\n')
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

// ForEach decodes every record of one kind ("ticket", "feedback", "event")
// in id order. It reads the whole bucket: for tools and tests, never for
// the console.
func (s *Store) ForEach(kind string, fn func(model.Record) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		b, _ := recordBucket(tx, kind)
		return b.ForEach(func(k, v []byte) error {
			r, err := decodeStored(v)
			if err != nil {
				return fmt.Errorf("%w: %s %s: %v", ErrCorrupt, kind, k, err)
			}
			return fn(r)
		})
	})
}

// FeedbackForTicket lists the survey answers tied to a ticket.
func (s *Store) FeedbackForTicket(ticketID string) ([]*model.Feedback, error) {
	var out []*model.Feedback
	err := s.db.View(func(tx *bolt.Tx) error {
		prefix := join([]byte(ticketID), nul)
		fb := tx.Bucket(bucketFeedback)
		c := tx.Bucket(bucketIdxFbTicket).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			r, err := decodeStored(fb.Get(k[len(prefix):]))
			if err != nil {
				return fmt.Errorf("%w: feedback %s: %v", ErrCorrupt, k[len(prefix):], err)
			}
			out = append(out, r.Feedback)
		}
		return nil
	})
	return out, err
}

// CustomerRecords lists a customer's tickets and feedback.
func (s *Store) CustomerRecords(customerID string) ([]model.Record, error) {
	var out []model.Record
	err := s.db.View(func(tx *bolt.Tx) error {
		prefix := join([]byte(customerID), nul)
		c := tx.Bucket(bucketIdxCustomer).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			rest := k[len(prefix):]
			if len(rest) < 2 {
				continue
			}
			b := tx.Bucket(bucketTickets)
			if rest[0] == kindFeedback {
				b = tx.Bucket(bucketFeedback)
			}
			r, err := decodeStored(b.Get(rest[1:]))
			if err != nil {
				return fmt.Errorf("%w: record %s: %v", ErrCorrupt, rest[1:], err)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// MetaSyncCursor holds a replica's position in its remote's change feed
// (store/replica writes it); its absence means the store was never synced.
const MetaSyncCursor = "sync/cursor"

// EverSynced reports whether the store has pulled from a remote.
func (s *Store) EverSynced() (bool, error) {
	v, err := s.Meta(MetaSyncCursor)
	return len(v) > 0, err
}
