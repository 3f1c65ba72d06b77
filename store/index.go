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
	return appendTimeKey(make([]byte, 0, 8), t)
}

func appendTimeKey(dst []byte, t time.Time) []byte {
	if t.IsZero() {
		return binary.BigEndian.AppendUint64(dst, math.MaxUint64)
	}
	return binary.BigEndian.AppendUint64(dst, uint64(t.Unix())^(1<<63))
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
	return appendQueueKey(make([]byte, 0, queueKeyHeader+len(t.ID)), t)
}

func appendQueueKey(dst []byte, t *model.Ticket) []byte {
	esc := byte(1)
	if t.Escalated {
		esc = 0
	}
	dst = append(dst, esc)
	dst = appendTimeKey(dst, t.SLADueAt)
	dst = append(dst, priorityRank(t.Priority))
	dst = appendTimeKey(dst, t.CreatedAt)
	return append(dst, t.ID...)
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
	return appendSummary(make([]byte, 0, summaryLen(t)), t)
}

func summaryLen(t *model.Ticket) int {
	return len(t.Status) + len(t.Type) + len(t.SubType) + len(t.Source) + len(t.Segment) + len(t.Department) + 5
}

func appendSummary(dst []byte, t *model.Ticket) []byte {
	for i, f := range [...]string{t.Status, t.Type, t.SubType, t.Source, t.Segment, t.Department} {
		if i > 0 {
			dst = append(dst, 0)
		}
		dst = append(dst, f...)
	}
	return dst
}

// keyBuf hands out keys built in one buffer allocated with room for all of
// them, so a record's index entries cost one allocation instead of one per
// key and part (issue 14: the write path's allocations were 15-20 % of its
// CPU in GC). Each key is capped at its length: appending to one never
// writes into the next.
type keyBuf struct{ b []byte }

// take returns what was appended since the last take.
func (k *keyBuf) take(start int) []byte { return k.b[start:len(k.b):len(k.b)] }

// ticketIndexEntries: open tickets are in the queue and, in the same
// urgency order, under their type and their source, so a filtered queue
// page is a prefix scan (a sub-type is filtered within its type). Every ticket is in the update-time and
// customer indexes. Done tickets leave the urgency indexes: in a mature
// store most tickets are done, and they cost two index entries, not five.
func ticketIndexEntries(t *model.Ticket) []indexEntry {
	size := summaryLen(t) + 8 + len(t.ID) + len(t.CustomerID) + 2 + len(t.ID)
	if t.Open() {
		size += 3*(queueKeyHeader+len(t.ID)) + len(t.Type) + len(t.Source) + 2 + 8 + len(t.ID)
	}
	k := keyBuf{make([]byte, 0, size)}
	k.b = appendSummary(k.b, t)
	sum := k.take(0)
	out := make([]indexEntry, 0, 6)
	if t.Open() {
		at := len(k.b)
		k.b = appendQueueKey(k.b, t)
		qk := k.take(at)
		at = len(k.b)
		k.b = append(append(k.b, t.Type...), 0)
		k.b = append(k.b, qk...)
		typeKey := k.take(at)
		at = len(k.b)
		k.b = append(append(k.b, t.Source...), 0)
		k.b = append(k.b, qk...)
		sourceKey := k.take(at)
		at = len(k.b)
		k.b = append(appendTimeKey(k.b, t.CreatedAt), t.ID...)
		out = append(out,
			indexEntry{bucketIdxQueue, qk, sum},
			indexEntry{bucketIdxType, typeKey, sum},
			indexEntry{bucketIdxSource, sourceKey, sum},
			indexEntry{bucketIdxOpenCreated, k.take(at), nil},
		)
	}
	at := len(k.b)
	k.b = append(appendTimeKey(k.b, lastActivity(t)), t.ID...)
	out = append(out, indexEntry{bucketIdxUpdated, k.take(at), sum})
	if t.CustomerID != "" {
		at = len(k.b)
		k.b = append(append(k.b, t.CustomerID...), 0, kindTicket)
		k.b = append(k.b, t.ID...)
		out = append(out, indexEntry{bucketIdxCustomer, k.take(at), nil})
	}
	return out
}

// queueKeyHeader is the length of a queue key before the ticket id:
// escalated flag, SLA due time, priority rank, created time.
const queueKeyHeader = 1 + 8 + 1 + 8

func feedbackIndexEntries(f *model.Feedback) []indexEntry {
	k := keyBuf{make([]byte, 0, 8+len(f.ID)+len(f.CustomerID)+2+len(f.ID)+len(f.TicketID)+1+len(f.ID))}
	k.b = append(appendTimeKey(k.b, f.At), f.ID...)
	out := make([]indexEntry, 1, 3)
	out[0] = indexEntry{bucketIdxFeedbackAt, k.take(0), nil}
	if f.CustomerID != "" {
		at := len(k.b)
		k.b = append(append(k.b, f.CustomerID...), 0, kindFeedback)
		k.b = append(k.b, f.ID...)
		out = append(out, indexEntry{bucketIdxCustomer, k.take(at), nil})
	}
	if f.TicketID != "" {
		at := len(k.b)
		k.b = append(append(k.b, f.TicketID...), 0)
		k.b = append(k.b, f.ID...)
		out = append(out, indexEntry{bucketIdxFbTicket, k.take(at), nil})
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
