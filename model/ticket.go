package model

import "time"

// Ticket is one customer case raised by a journey problem.
//
// Zero times mean "not set": a ticket that has not been answered has a zero
// FirstResponseAt, one that is not done has a zero ResolvedAt.
type Ticket struct {
	ID string
	// System and ExternalID name the record in the system it came from
	// ("sim", "hub", "zendesk"), so a ticket synced twice stays one ticket.
	System      string
	ExternalID  string
	Subject     string
	Description string

	Status   string
	Type     string
	SubType  string
	Source   string // the channel the customer used (email, hotline, chatbot, ...)
	Priority string

	Department string
	Assignee   string
	CustomerID string
	Segment    string
	Touchpoint string

	CreatedAt       time.Time
	FirstResponseAt time.Time
	ResolvedAt      time.Time
	UpdatedAt       time.Time
	SLADueAt        time.Time

	Escalated bool
	Tags      []string
	// Version counts the changes the source of truth has accepted; triage
	// actions name the version they were based on so conflicts are detected.
	Version uint64
	// SourceStamp is the source's own concurrency token for the version
	// last pulled (Zendesk: the ticket's updated_at). Triage actions carry
	// it back so the source can refuse a change made on a stale ticket.
	// Local actions leave it alone. Empty for sources that have none.
	SourceStamp string
	History     []Change
}

// Change is one entry of a ticket's history: who changed which field when.
type Change struct {
	At    time.Time
	By    string
	Field string
	Old   string
	New   string
}

// Open reports whether the ticket still needs work.
func (t *Ticket) Open() bool { return t.Status != StatusDone }

// SLABreached reports whether the ticket missed (or, while open, has passed)
// its SLA due time as of now.
func (t *Ticket) SLABreached(now time.Time) bool {
	if t.SLADueAt.IsZero() {
		return false
	}
	if t.Open() {
		return now.After(t.SLADueAt)
	}
	return t.ResolvedAt.After(t.SLADueAt)
}

// Clone returns a deep copy, so a caller can change it without touching a
// value shared with the store or another goroutine.
func (t *Ticket) Clone() *Ticket {
	c := *t
	c.Tags = append([]string(nil), t.Tags...)
	c.History = append([]Change(nil), t.History...)
	return &c
}
