package model

import (
	"encoding/binary"
	"math"
	"time"
	"unicode/utf8"
)

// AppendBinary appends r's binary encoding (binary.go) to dst.
func AppendBinary(dst []byte, r Record) []byte {
	var e binWriter
	e.b = dst
	switch {
	case r.Ticket != nil:
		e.ticket(r.Ticket)
	case r.Feedback != nil:
		e.feedback(r.Feedback)
	case r.Event != nil:
		e.event(r.Event)
	}
	return e.b
}

// binWriter appends one value, remembering its literals for back references.
type binWriter struct {
	b    []byte
	seen [maxBackRefs]string
	n    int
}

func (e *binWriter) ticket(t *Ticket) {
	e.b = append(e.b, BinaryTicket)
	for _, s := range [...]string{t.ID, t.Status, t.Type, t.SubType, t.Source, t.Priority,
		t.Department, t.Assignee, t.CustomerID, t.Segment, t.Touchpoint, t.Subject} {
		e.str(s)
	}
	created := e.time(t.CreatedAt, binaryEpoch)
	for _, at := range [...]time.Time{t.FirstResponseAt, t.ResolvedAt, t.SLADueAt, t.UpdatedAt} {
		e.time(at, created)
	}
	var flags byte
	if t.Escalated {
		flags |= 1
	}
	e.b = append(e.b, flags)
	e.str(t.System)
	e.str(t.ExternalID)
	e.str(t.Description)
	e.b = binary.AppendUvarint(e.b, uint64(len(t.Tags)))
	for _, tag := range t.Tags {
		e.str(tag)
	}
	e.b = binary.AppendUvarint(e.b, t.Version)
	e.str(t.SourceStamp)
	e.b = binary.AppendUvarint(e.b, uint64(len(t.History)))
	for _, c := range t.History {
		e.time(c.At, created)
		e.str(c.By)
		e.str(c.Field)
		e.str(c.Old)
		e.str(c.New)
	}
}

func (e *binWriter) feedback(f *Feedback) {
	e.b = append(e.b, BinaryFeedback)
	e.str(f.ID)
	e.str(f.Survey)
	e.b = binary.AppendVarint(e.b, int64(f.Score))
	e.time(f.At, binaryEpoch)
	e.str(f.CustomerID)
	e.str(f.Segment)
	e.str(f.Touchpoint)
	e.str(f.TicketID)
	switch milli, ok := sentimentMilli(f.Sentiment); {
	case f.Sentiment == nil:
		e.b = append(e.b, 0)
	case ok:
		e.b = append(e.b, 1)
		e.b = binary.AppendVarint(e.b, milli)
	default:
		e.b = append(e.b, 2)
		e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(*f.Sentiment))
	}
	e.str(f.Kind)
	e.str(f.Channel)
	e.str(f.Comment)
}

// sentimentMilli gives a sentiment as whole thousandths when that is exact
// to the bit (text analyses give two or three decimals): a varint of one
// or two bytes instead of eight.
func sentimentMilli(v *float64) (int64, bool) {
	if v == nil {
		return 0, false
	}
	m := math.Round(*v * 1000)
	if !(math.Abs(m) <= 1<<50) {
		return 0, false // NaN, infinities and what a varint would not hold
	}
	// Comparing the decoded value's bits also keeps −0 out (it would read
	// back as +0).
	milli := int64(m)
	if math.Float64bits(float64(milli)/1000) != math.Float64bits(*v) {
		return 0, false
	}
	return milli, true
}

func (e *binWriter) event(ev *Event) {
	e.b = append(e.b, BinaryEvent)
	e.str(ev.ID)
	e.str(ev.Type)
	at := e.time(ev.At, binaryEpoch)
	e.str(ev.CustomerID)
	e.str(ev.Segment)
	e.str(ev.Variant)
	e.str(ev.OrderID)
	e.b = binary.AppendVarint(e.b, ev.Amount)
	var flags byte
	if ev.Digital {
		flags |= 1
	}
	e.b = append(e.b, flags)
	e.time(ev.PlacedAt, at)
}

// time writes t relative to base (in Unix seconds) and returns t's seconds,
// the base of the record's other times (base itself for the zero time).
func (e *binWriter) time(t time.Time, base int64) int64 {
	if t.IsZero() {
		e.b = append(e.b, 0)
		return base
	}
	sec, ns := t.Unix(), uint64(t.Nanosecond())
	d := sec - base
	h := (uint64(d<<1) ^ uint64(d>>63)) << 1
	if ns != 0 {
		h |= 1
	}
	e.b = binary.AppendUvarint(e.b, h+1)
	if ns != 0 {
		e.b = binary.AppendUvarint(e.b, ns)
	}
	return sec
}

// str writes s as a dictionary reference, a back reference or a literal.
func (e *binWriter) str(s string) {
	if !utf8.ValidString(s) {
		s = jsonText(s)
	}
	if i, ok := dictionaryRef(s); ok {
		e.b = binary.AppendUvarint(e.b, i<<1|1)
		return
	}
	if len(s) > 1 {
		for i := 0; i < e.n; i++ {
			if e.seen[i] == s {
				e.b = binary.AppendUvarint(e.b, uint64(len(binaryDictionary)+i)<<1|1)
				return
			}
		}
	}
	e.b = binary.AppendUvarint(e.b, uint64(len(s))<<1)
	e.b = append(e.b, s...)
	if e.n < maxBackRefs {
		e.seen[e.n] = s
		e.n++
	}
}

// jsonText is s as the JSON encoding reads back: each byte that is not
// part of valid UTF-8 replaced by U+FFFD (see appendJSONString).
func jsonText(s string) string {
	out := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, s[i:i+size]...)
		}
		i += size
	}
	return string(out)
}
