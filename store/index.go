package store

import (
	"encoding/binary"
	"math"
	"time"

	"github.com/cxtop/cxtop/model"
)

// indexEntry is one key (and value) a record owns in an index bucket.
type indexEntry struct {
	bucket []byte
	key    []byte
	value  []byte
}

// timeKey encodes t so byte order is time order (sign bit flipped so times
// before 1970 still sort first). The zero time sorts last: a ticket without
// an SLA due time is less urgent than any with one.
func timeKey(t time.Time) []byte {
	var b [8]byte
	if t.IsZero() {
		binary.BigEndian.PutUint64(b[:], math.MaxUint64)
		return b[:]
	}
	binary.BigEndian.PutUint64(b[:], uint64(t.Unix())^(1<<63))
	return b[:]
}

func join(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

var nul = []byte{0}

// Queue keys sort open tickets by urgency: escalated first, then by SLA due
// time (breached ones are due earliest), then priority, then age.
// priorityRank is the ticket's place in the taxonomy's urgency order;
// the store uses the default order, which custom taxonomies extend.
func queueKey(t *model.Ticket) []byte {
	esc := byte(1)
	if t.Escalated {
		esc = 0
	}
	return join([]byte{esc}, timeKey(t.SLADueAt), []byte{priorityRank(t.Priority)}, timeKey(t.CreatedAt), []byte(t.ID))
}

var defaultTaxonomy = model.DefaultTaxonomy()

func priorityRank(p string) byte {
	r := defaultTaxonomy.PriorityRank(p)
	if r > 255 {
		r = 255
	}
	return byte(r)
}

// ticketSummary is the value of queue and update-index entries: the fields
// filters look at, so a filtered scan needs no record decode.
func ticketSummary(t *model.Ticket) []byte {
	return join([]byte(t.Status), nul, []byte(t.Type), nul, []byte(t.SubType), nul,
		[]byte(t.Source), nul, []byte(t.Segment), nul, []byte(t.Department))
}

// ticketIndexEntries: open tickets are in the queue and, in the same
// urgency order, under their type and their source, so a filtered queue
// page is a prefix scan (a sub-type is filtered within its type). Every ticket is in the update-time and
// customer indexes. Done tickets leave the urgency indexes: in a mature
// store most tickets are done, and they cost two index entries, not five.
func ticketIndexEntries(t *model.Ticket) []indexEntry {
	id := []byte(t.ID)
	sum := ticketSummary(t)
	updated := lastActivity(t)
	out := make([]indexEntry, 0, 6)
	if t.Open() {
		qk := queueKey(t)
		out = append(out,
			indexEntry{bucketIdxQueue, qk, sum},
			indexEntry{bucketIdxType, join([]byte(t.Type), nul, qk), sum},
			indexEntry{bucketIdxSource, join([]byte(t.Source), nul, qk), sum},
			indexEntry{bucketIdxOpenCreated, join(timeKey(t.CreatedAt), id), nil},
		)
	}
	out = append(out, indexEntry{bucketIdxUpdated, join(timeKey(updated), id), sum})
	if t.CustomerID != "" {
		out = append(out, indexEntry{bucketIdxCustomer, join([]byte(t.CustomerID), nul, []byte{kindTicket}, id), nil})
	}
	return out
}

// queueKeyHeader is the length of a queue key before the ticket id:
// escalated flag, SLA due time, priority rank, created time.
const queueKeyHeader = 1 + 8 + 1 + 8

func feedbackIndexEntries(f *model.Feedback) []indexEntry {
	id := []byte(f.ID)
	out := []indexEntry{{bucketIdxFeedbackAt, join(timeKey(f.At), id), nil}}
	if f.CustomerID != "" {
		out = append(out, indexEntry{bucketIdxCustomer, join([]byte(f.CustomerID), nul, []byte{kindFeedback}, id), nil})
	}
	if f.TicketID != "" {
		out = append(out, indexEntry{bucketIdxFbTicket, join([]byte(f.TicketID), nul, id), nil})
	}
	return out
}

func recordIndexEntries(r model.Record) []indexEntry {
	switch {
	case r.Ticket != nil:
		return ticketIndexEntries(r.Ticket)
	case r.Feedback != nil:
		return feedbackIndexEntries(r.Feedback)
	}
	return nil // events are reached through rollups, not indexes
}
