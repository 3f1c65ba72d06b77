package model

import (
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// parseCanonical reads a line written in the canonical form AppendRecord
// writes — its keys in its order, no spaces, the escapes it uses — in a
// single pass, about twenty times faster than encoding/json (which was the
// largest cost of a sync: every record of every page). It gives up (ok
// false) at the first byte it does not expect, and ParseRecord then reads
// the line the strict, general way, which also says what is wrong. What it
// returns equals what the general way returns for the same line
// (FuzzParseCanonical).
func parseCanonical(line []byte) (Record, bool) {
	p := canonReader{s: string(line), ok: true}
	var r Record
	switch {
	case p.lit(`{"kind":"ticket","id":`):
		r.Ticket = p.ticket()
	case p.lit(`{"kind":"feedback","id":`):
		r.Feedback = p.feedback()
	case p.lit(`{"kind":"event","id":`):
		r.Event = p.event()
	default:
		return Record{}, false
	}
	if !p.ok || !p.lit("}") || p.pos != len(p.s) {
		return Record{}, false
	}
	return r, true
}

// canonReader walks one line; ok turns false at the first surprise and
// every later read returns zero values.
type canonReader struct {
	s   string
	pos int
	ok  bool
}

// lit consumes s if the line continues with it.
func (p *canonReader) lit(s string) bool {
	if !p.ok || len(p.s)-p.pos < len(s) || p.s[p.pos:p.pos+len(s)] != s {
		return false
	}
	p.pos += len(s)
	return true
}

// key consumes `,"name":`.
func (p *canonReader) key(name string) {
	if !p.ok {
		return
	}
	if len(p.s)-p.pos < len(name)+4 || p.s[p.pos] != ',' || p.s[p.pos+1] != '"' ||
		p.s[p.pos+2:p.pos+2+len(name)] != name || p.s[p.pos+2+len(name)] != '"' || p.s[p.pos+3+len(name)] != ':' {
		p.ok = false
		return
	}
	p.pos += len(name) + 4
}

func (p *canonReader) ticket() *Ticket {
	t := &Ticket{ID: p.str()}
	for _, f := range [...]struct {
		name string
		v    *string
	}{{"status", &t.Status}, {"type", &t.Type}, {"subtype", &t.SubType}, {"source", &t.Source}, {"priority", &t.Priority},
		{"department", &t.Department}, {"assignee", &t.Assignee}, {"customer_id", &t.CustomerID}, {"segment", &t.Segment},
		{"touchpoint", &t.Touchpoint}, {"subject", &t.Subject}} {
		p.key(f.name)
		*f.v = p.str()
	}
	p.key("created_at")
	t.CreatedAt = p.time()
	p.key("first_response_at")
	t.FirstResponseAt = p.time()
	p.key("resolved_at")
	t.ResolvedAt = p.time()
	p.key("sla_due_at")
	t.SLADueAt = p.time()
	p.key("escalated")
	t.Escalated = p.boolean()
	p.key("updated_at")
	t.UpdatedAt = p.time()
	p.key("system")
	t.System = p.str()
	p.key("external_id")
	t.ExternalID = p.str()
	p.key("description")
	t.Description = p.str()
	p.key("tags")
	if !p.lit("[") {
		p.ok = false
	}
	if !p.lit("]") {
		for p.ok {
			t.Tags = append(t.Tags, p.str())
			if p.lit("]") {
				break
			}
			if !p.lit(",") {
				p.ok = false
			}
		}
	}
	p.key("version")
	t.Version = p.uint()
	if p.lit(`,"source_stamp":`) {
		t.SourceStamp = p.str()
	}
	p.key("history")
	if !p.lit("[") {
		p.ok = false
	}
	if !p.lit("]") {
		for p.ok {
			var c Change
			if !p.lit(`{"at":`) {
				p.ok = false
				break
			}
			c.At = p.time()
			p.key("by")
			c.By = p.str()
			p.key("field")
			c.Field = p.str()
			p.key("old")
			c.Old = p.str()
			p.key("new")
			c.New = p.str()
			if !p.lit("}") {
				p.ok = false
			}
			t.History = append(t.History, c)
			if p.lit("]") {
				break
			}
			if !p.lit(",") {
				p.ok = false
			}
		}
	}
	return t
}

func (p *canonReader) feedback() *Feedback {
	f := &Feedback{ID: p.str()}
	p.key("survey")
	f.Survey = p.str()
	p.key("score")
	f.Score = int(p.int())
	p.key("at")
	f.At = p.time()
	p.key("customer_id")
	f.CustomerID = p.str()
	p.key("segment")
	f.Segment = p.str()
	p.key("touchpoint")
	f.Touchpoint = p.str()
	p.key("ticket_id")
	f.TicketID = p.optStr()
	p.key("sentiment")
	if !p.lit("null") {
		v := p.float()
		f.Sentiment = &v
	}
	p.key("survey_kind")
	f.Kind = p.str()
	p.key("channel")
	f.Channel = p.str()
	p.key("comment")
	f.Comment = p.str()
	return f
}

func (p *canonReader) event() *Event {
	e := &Event{ID: p.str()}
	p.key("type")
	e.Type = p.str()
	p.key("at")
	e.At = p.time()
	p.key("customer_id")
	e.CustomerID = p.str()
	p.key("segment")
	e.Segment = p.str()
	p.key("variant")
	e.Variant = p.optStr()
	p.key("order_id")
	e.OrderID = p.optStr()
	p.key("amount")
	if !p.lit("null") {
		e.Amount = p.int()
	}
	p.key("digital")
	e.Digital = p.boolean()
	p.key("placed_at")
	e.PlacedAt = p.time()
	return e
}

func (p *canonReader) optStr() string {
	if p.lit("null") {
		return ""
	}
	return p.str()
}

func (p *canonReader) boolean() bool {
	switch {
	case p.lit("true"):
		return true
	case p.lit("false"):
		return false
	}
	p.ok = false
	return false
}

// time reads null (the zero time) or a time string without escapes, parsed
// as parseTime does.
func (p *canonReader) time() time.Time {
	if p.lit("null") {
		return time.Time{}
	}
	if !p.lit(`"`) {
		p.ok = false
		return time.Time{}
	}
	start := p.pos
	for p.pos < len(p.s) && p.s[p.pos] != '"' {
		if c := p.s[p.pos]; c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			p.ok = false
			return time.Time{}
		}
		p.pos++
	}
	if p.pos == len(p.s) {
		p.ok = false
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, p.s[start:p.pos])
	p.pos++
	if err != nil {
		p.ok = false
		return time.Time{}
	}
	return t.UTC()
}

// number returns the text of a JSON number (RFC 8259 grammar).
func (p *canonReader) number() string {
	if !p.ok {
		return ""
	}
	s, i := p.s, p.pos
	digits := func() bool {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i > start
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case !digits():
		p.ok = false
		return ""
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digits() {
			p.ok = false
			return ""
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digits() {
			p.ok = false
			return ""
		}
	}
	n := s[p.pos:i]
	p.pos = i
	return n
}

func (p *canonReader) int() int64 {
	v, err := strconv.ParseInt(p.number(), 10, strconv.IntSize)
	if err != nil {
		p.ok = false
	}
	return v
}

func (p *canonReader) uint() uint64 {
	v, err := strconv.ParseUint(p.number(), 10, 64)
	if err != nil {
		p.ok = false
	}
	return v
}

func (p *canonReader) float() float64 {
	v, err := strconv.ParseFloat(p.number(), 64)
	if err != nil {
		p.ok = false
	}
	return v
}

// str reads a JSON string. Without escapes it is a slice of the line; the
// escapes AppendRecord writes are decoded; anything else (a surrogate
// escape, invalid UTF-8, a raw control character) gives up.
func (p *canonReader) str() string {
	if !p.lit(`"`) {
		p.ok = false
		return ""
	}
	start := p.pos
	var buf []byte // only when the string has escapes
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == '"':
			s := p.s[start:p.pos]
			p.pos++
			if buf != nil {
				return string(append(buf, s...))
			}
			return s
		case c < 0x20:
			p.ok = false
			return ""
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(p.s[p.pos:])
			if r == utf8.RuneError && size == 1 {
				p.ok = false
				return ""
			}
			p.pos += size
		case c == '\\':
			buf = append(buf, p.s[start:p.pos]...)
			if p.pos+1 >= len(p.s) {
				p.ok = false
				return ""
			}
			switch e := p.s[p.pos+1]; e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'u':
				if p.pos+6 > len(p.s) {
					p.ok = false
					return ""
				}
				r, ok := hex4([]byte(p.s[p.pos+2 : p.pos+6]))
				if !ok || utf16.IsSurrogate(r) {
					p.ok = false
					return ""
				}
				buf = utf8.AppendRune(buf, r)
				p.pos += 4
			default:
				p.ok = false
				return ""
			}
			p.pos += 2
			start = p.pos
		default:
			p.pos++
		}
	}
	p.ok = false
	return ""
}
