package model

import (
	"time"
)

// Record kinds, as written in the "kind" key of every exported line.
const (
	RecordTicket   = "ticket"
	RecordFeedback = "feedback"
	RecordEvent    = "event"
)

// Record is one exported or synced object: exactly one of its pointers is set.
type Record struct {
	Ticket   *Ticket
	Feedback *Feedback
	Event    *Event
}

// Kind is "ticket", "feedback" or "event".
func (r Record) Kind() string {
	switch {
	case r.Ticket != nil:
		return RecordTicket
	case r.Feedback != nil:
		return RecordFeedback
	case r.Event != nil:
		return RecordEvent
	}
	return ""
}

// ID is the record's id within its kind.
func (r Record) ID() string {
	switch {
	case r.Ticket != nil:
		return r.Ticket.ID
	case r.Feedback != nil:
		return r.Feedback.ID
	case r.Event != nil:
		return r.Event.ID
	}
	return ""
}

// TimeLayout is how every time is written: RFC 3339 in UTC, with a
// fraction only when the time has one.
const TimeLayout = time.RFC3339Nano

// FormatTime writes t as the export format does; "" for the zero time.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(TimeLayout)
}
