package model

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// The export format is canonical: one record has exactly one encoding, so
// export → import → export is byte-identical and the store can keep the
// encoded line as the stored value. Keys come in a fixed order: the
// documented keys first (docs/export-format.md), then the extras that keep
// a record whole (history, tags, versions).

// AppendRecord appends r's JSON object (without a newline) to dst.
func AppendRecord(dst []byte, r Record) []byte {
	switch {
	case r.Ticket != nil:
		return AppendTicket(dst, r.Ticket)
	case r.Feedback != nil:
		return AppendFeedback(dst, r.Feedback)
	case r.Event != nil:
		return AppendEvent(dst, r.Event)
	}
	return append(dst, "null"...)
}

// AppendTicket appends t as a JSON object.
func AppendTicket(dst []byte, t *Ticket) []byte {
	w := objWriter{b: dst}
	w.str("kind", RecordTicket)
	w.str("id", t.ID)
	w.str("status", t.Status)
	w.str("type", t.Type)
	w.str("subtype", t.SubType)
	w.str("source", t.Source)
	w.str("priority", t.Priority)
	w.str("department", t.Department)
	w.str("assignee", t.Assignee)
	w.str("customer_id", t.CustomerID)
	w.str("segment", t.Segment)
	w.str("touchpoint", t.Touchpoint)
	w.str("subject", t.Subject)
	w.time("created_at", t.CreatedAt)
	w.time("first_response_at", t.FirstResponseAt)
	w.time("resolved_at", t.ResolvedAt)
	w.time("sla_due_at", t.SLADueAt)
	w.boolean("escalated", t.Escalated)
	w.time("updated_at", t.UpdatedAt)
	w.str("system", t.System)
	w.str("external_id", t.ExternalID)
	w.str("description", t.Description)
	w.key("tags")
	w.b = append(w.b, '[')
	for i, tag := range t.Tags {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = appendJSONString(w.b, tag)
	}
	w.b = append(w.b, ']')
	w.key("version")
	w.b = strconv.AppendUint(w.b, t.Version, 10)
	if t.SourceStamp != "" {
		// Only tickets from a source with its own stamp carry the key, so
		// every other ticket keeps its encoding.
		w.str("source_stamp", t.SourceStamp)
	}
	w.key("history")
	w.b = append(w.b, '[')
	for i, c := range t.History {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		cw := objWriter{b: w.b}
		cw.time("at", c.At)
		cw.str("by", c.By)
		cw.str("field", c.Field)
		cw.str("old", c.Old)
		cw.str("new", c.New)
		w.b = cw.close()
	}
	w.b = append(w.b, ']')
	return w.close()
}

// AppendFeedback appends f as a JSON object.
func AppendFeedback(dst []byte, f *Feedback) []byte {
	w := objWriter{b: dst}
	w.str("kind", RecordFeedback)
	w.str("id", f.ID)
	w.str("survey", f.Survey)
	w.key("score")
	w.b = strconv.AppendInt(w.b, int64(f.Score), 10)
	w.time("at", f.At)
	w.str("customer_id", f.CustomerID)
	w.str("segment", f.Segment)
	w.str("touchpoint", f.Touchpoint)
	w.optStr("ticket_id", f.TicketID)
	w.key("sentiment")
	if f.Sentiment == nil {
		w.b = append(w.b, "null"...)
	} else {
		w.b = strconv.AppendFloat(w.b, *f.Sentiment, 'g', -1, 64)
	}
	w.str("survey_kind", f.Kind)
	w.str("channel", f.Channel)
	w.str("comment", f.Comment)
	return w.close()
}

// AppendEvent appends e as a JSON object.
func AppendEvent(dst []byte, e *Event) []byte {
	w := objWriter{b: dst}
	w.str("kind", RecordEvent)
	w.str("id", e.ID)
	w.str("type", e.Type)
	w.time("at", e.At)
	w.str("customer_id", e.CustomerID)
	w.str("segment", e.Segment)
	w.optStr("variant", e.Variant)
	w.optStr("order_id", e.OrderID)
	w.key("amount")
	if e.Type == EventPurchase || e.Amount != 0 {
		w.b = strconv.AppendInt(w.b, e.Amount, 10)
	} else {
		w.b = append(w.b, "null"...)
	}
	w.boolean("digital", e.Digital)
	w.time("placed_at", e.PlacedAt)
	return w.close()
}

// objWriter appends the members of one JSON object.
type objWriter struct {
	b    []byte
	open bool
}

func (w *objWriter) key(k string) {
	if w.open {
		w.b = append(w.b, ',')
	} else {
		w.b = append(w.b, '{')
		w.open = true
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
}

func (w *objWriter) str(k, v string) {
	w.key(k)
	w.b = appendJSONString(w.b, v)
}

// optStr writes null for an empty optional reference.
func (w *objWriter) optStr(k, v string) {
	if v == "" {
		w.key(k)
		w.b = append(w.b, "null"...)
		return
	}
	w.str(k, v)
}

func (w *objWriter) time(k string, t time.Time) {
	w.key(k)
	if t.IsZero() {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = append(w.b, '"')
	w.b = t.UTC().AppendFormat(w.b, TimeLayout)
	w.b = append(w.b, '"')
}

func (w *objWriter) boolean(k string, v bool) {
	w.key(k)
	w.b = strconv.AppendBool(w.b, v)
}

func (w *objWriter) close() []byte {
	if !w.open {
		return append(w.b, '{', '}')
	}
	return append(w.b, '}')
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes s as a JSON string the way encoding/json would
// read it back unchanged: control characters, quotes, backslashes and the
// JavaScript line separators escaped; invalid UTF-8 replaced by U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
