package model

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// ParseBinary decodes a value written by AppendBinary. It refuses what
// AppendBinary cannot have written (an unknown format byte, a reference
// out of range, a truncated value, bytes after the record) with an error;
// it never panics on damaged bytes. It does not apply CheckRecord.
func ParseBinary(v []byte) (Record, error) {
	if len(v) == 0 {
		return Record{}, errors.New("empty value")
	}
	// One string for the whole value: every field is a slice of it, so a
	// record costs one allocation for all its text.
	d := binReader{s: string(v[1:])}
	var r Record
	switch v[0] {
	case BinaryTicket:
		r.Ticket = d.ticket()
	case BinaryFeedback:
		r.Feedback = d.feedback()
	case BinaryEvent:
		r.Event = d.event()
	default:
		return Record{}, fmt.Errorf("unknown record format 0x%02x", v[0])
	}
	if d.err == nil && d.pos != len(d.s) {
		d.err = fmt.Errorf("%d bytes after the record", len(d.s)-d.pos)
	}
	if d.err != nil {
		return Record{}, fmt.Errorf("binary record: %w", d.err)
	}
	return r, nil
}

// binReader reads one value; the first error sticks and later reads
// return zero values.
type binReader struct {
	s    string
	pos  int
	err  error
	seen [maxBackRefs]string
	n    int
}

func (d *binReader) ticket() *Ticket {
	t := &Ticket{}
	for _, p := range [...]*string{&t.ID, &t.Status, &t.Type, &t.SubType, &t.Source, &t.Priority,
		&t.Department, &t.Assignee, &t.CustomerID, &t.Segment, &t.Touchpoint, &t.Subject} {
		*p = d.str()
	}
	var created int64
	t.CreatedAt, created = d.time(binaryEpoch)
	t.FirstResponseAt, _ = d.time(created)
	t.ResolvedAt, _ = d.time(created)
	t.SLADueAt, _ = d.time(created)
	t.UpdatedAt, _ = d.time(created)
	t.Escalated = d.flags()&1 != 0
	t.System = d.str()
	t.ExternalID = d.str()
	t.Description = d.str()
	if n := d.count(MaxTags); n > 0 {
		t.Tags = make([]string, n)
		for i := range t.Tags {
			t.Tags[i] = d.str()
		}
	}
	t.Version = d.uvarint()
	t.SourceStamp = d.str()
	if n := d.count(MaxHistory); n > 0 {
		t.History = make([]Change, n)
		for i := range t.History {
			c := &t.History[i]
			c.At, _ = d.time(created)
			c.By = d.str()
			c.Field = d.str()
			c.Old = d.str()
			c.New = d.str()
		}
	}
	return t
}

func (d *binReader) feedback() *Feedback {
	f := &Feedback{}
	f.ID = d.str()
	f.Survey = d.str()
	score := d.varint()
	if score < math.MinInt32 || score > math.MaxInt32 {
		d.fail("score %d out of range", score)
	}
	f.Score = int(score)
	f.At, _ = d.time(binaryEpoch)
	f.CustomerID = d.str()
	f.Segment = d.str()
	f.Touchpoint = d.str()
	f.TicketID = d.str()
	switch form := d.flags(); form {
	case 0:
	case 1:
		v := float64(d.varint()) / 1000
		f.Sentiment = &v
	case 2:
		if d.need(8) {
			v := math.Float64frombits(binary.LittleEndian.Uint64([]byte(d.s[d.pos : d.pos+8])))
			d.pos += 8
			f.Sentiment = &v
		}
	default:
		d.fail("unknown sentiment form %d", form)
	}
	f.Kind = d.str()
	f.Channel = d.str()
	f.Comment = d.str()
	return f
}

func (d *binReader) event() *Event {
	e := &Event{}
	e.ID = d.str()
	e.Type = d.str()
	var at int64
	e.At, at = d.time(binaryEpoch)
	e.CustomerID = d.str()
	e.Segment = d.str()
	e.Variant = d.str()
	e.OrderID = d.str()
	e.Amount = d.varint()
	e.Digital = d.flags()&1 != 0
	e.PlacedAt, _ = d.time(at)
	return e
}

func (d *binReader) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf(format, args...)
	}
}

func (d *binReader) need(n int) bool {
	if d.err != nil {
		return false
	}
	if n < 0 || len(d.s)-d.pos < n {
		d.fail("truncated at byte %d", d.pos+1)
		return false
	}
	return true
}

func (d *binReader) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	var x uint64
	for shift, i := uint(0), d.pos; i < len(d.s); shift += 7 {
		c := d.s[i]
		i++
		if shift == 63 && c > 1 {
			d.fail("varint overflows at byte %d", d.pos+1)
			return 0
		}
		x |= uint64(c&0x7f) << shift
		if c < 0x80 {
			d.pos = i
			return x
		}
	}
	d.fail("truncated at byte %d", d.pos+1)
	return 0
}

func (d *binReader) varint() int64 {
	u := d.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

func (d *binReader) flags() byte {
	if !d.need(1) {
		return 0
	}
	d.pos++
	return d.s[d.pos-1]
}

// count reads a list's length, refusing more than max entries.
func (d *binReader) count(max int) int {
	n := d.uvarint()
	if n > uint64(max) {
		d.fail("a list of %d entries (at most %d)", n, max)
		return 0
	}
	return int(n)
}

func (d *binReader) str() string {
	h := d.uvarint()
	if d.err != nil {
		return ""
	}
	if h&1 == 1 {
		i := h >> 1
		switch {
		case i < uint64(len(binaryDictionary)):
			return binaryDictionary[i]
		case i-uint64(len(binaryDictionary)) < uint64(d.n):
			return d.seen[i-uint64(len(binaryDictionary))]
		}
		d.fail("unknown string reference %d", i)
		return ""
	}
	n := h >> 1
	if n > uint64(len(d.s)) || !d.need(int(n)) {
		d.fail("truncated at byte %d", d.pos+1)
		return ""
	}
	s := d.s[d.pos : d.pos+int(n)]
	d.pos += int(n)
	if d.n < maxBackRefs {
		d.seen[d.n] = s
		d.n++
	}
	return s
}

// time reads a time relative to base and returns it with its seconds (the
// base of the record's later times; base itself for the zero time).
func (d *binReader) time(base int64) (time.Time, int64) {
	h := d.uvarint()
	if h == 0 || d.err != nil {
		return time.Time{}, base
	}
	h--
	zz := h >> 1
	sec := base + (int64(zz>>1) ^ -int64(zz&1))
	var ns uint64
	if h&1 == 1 {
		ns = d.uvarint()
		if ns == 0 || ns >= 1e9 {
			d.fail("nanoseconds %d out of range", ns)
			return time.Time{}, base
		}
	}
	return time.Unix(sec, int64(ns)).UTC(), sec
}
