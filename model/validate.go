package model

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// ValidationError names the record and the field that is wrong, so a user
// (or a remote) can find and fix it.
type ValidationError struct {
	Kind    string // ticket, feedback or event
	ID      string // empty when the id itself is missing
	Field   string
	Problem string
}

func (e *ValidationError) Error() string {
	id := e.ID
	if id == "" {
		id = "(no id)"
	}
	return fmt.Sprintf("%s %s: %s: %s", e.Kind, id, e.Field, e.Problem)
}

func invalid(kind, id, field, format string, args ...any) error {
	return &ValidationError{Kind: kind, ID: id, Field: field, Problem: fmt.Sprintf(format, args...)}
}

// MaxKeyLen bounds ids and other values that become parts of index keys.
const MaxKeyLen = 200

// checkKey rejects values that cannot be part of an index key: the store
// separates key parts with NUL and bbolt limits key sizes.
func checkKey(kind, id, field, v string, required bool) error {
	switch {
	case v == "" && required:
		return invalid(kind, id, field, "is required")
	case len(v) > MaxKeyLen:
		return invalid(kind, id, field, "is %d bytes long (at most %d)", len(v), MaxKeyLen)
	case strings.IndexByte(v, 0) >= 0:
		return invalid(kind, id, field, "contains a NUL byte")
	}
	// Ids and dimension values are printed by every command and the
	// console: refuse what would need sanitizing rather than show it altered.
	if err := CheckPrintable(v); err != nil {
		return invalid(kind, id, field, "%v", err)
	}
	return nil
}

// checkYear refuses a time the export format cannot write back: RFC 3339
// has four-digit years, so a record dated outside 0000–9999 could be
// stored but never exported or synced again.
func checkYear(kind, id, field string, t time.Time) error {
	if y := t.UTC().Year(); !t.IsZero() && (y < 0 || y > 9999) {
		return invalid(kind, id, field, "year %d is outside 0000–9999", y)
	}
	return nil
}

// CheckTicket applies the rules every stored ticket obeys, whatever the
// taxonomy: what the store's indexes and rollups rely on.
func CheckTicket(t *Ticket) error {
	const k = "ticket"
	if err := checkKey(k, t.ID, "id", t.ID, true); err != nil {
		return err
	}
	for _, f := range []struct {
		name, v  string
		required bool
	}{
		{"status", t.Status, true}, {"type", t.Type, true}, {"subtype", t.SubType, false},
		{"source", t.Source, true}, {"priority", t.Priority, true},
		{"department", t.Department, false}, {"assignee", t.Assignee, false},
		{"customer_id", t.CustomerID, false}, {"segment", t.Segment, false},
		{"touchpoint", t.Touchpoint, false},
	} {
		if err := checkKey(k, t.ID, f.name, f.v, f.required); err != nil {
			return err
		}
	}
	if err := checkTicketSizes(t); err != nil {
		return err
	}
	if t.CreatedAt.IsZero() {
		return invalid(k, t.ID, "created_at", "is required")
	}
	for _, f := range [...]struct {
		name string
		at   time.Time
	}{{"created_at", t.CreatedAt}, {"first_response_at", t.FirstResponseAt}, {"resolved_at", t.ResolvedAt}, {"sla_due_at", t.SLADueAt}, {"updated_at", t.UpdatedAt}} {
		if err := checkYear(k, t.ID, f.name, f.at); err != nil {
			return err
		}
	}
	for _, c := range t.History {
		if err := checkYear(k, t.ID, "history.at", c.At); err != nil {
			return err
		}
	}
	if t.Status == StatusDone && t.ResolvedAt.IsZero() {
		return invalid(k, t.ID, "resolved_at", "is required when status is %q", StatusDone)
	}
	if t.Status != StatusDone && !t.ResolvedAt.IsZero() {
		return invalid(k, t.ID, "resolved_at", "is set but status is %q, not %q", t.Status, StatusDone)
	}
	if !t.ResolvedAt.IsZero() && t.ResolvedAt.Before(t.CreatedAt) {
		return invalid(k, t.ID, "resolved_at", "%s is before created_at %s", FormatTime(t.ResolvedAt), FormatTime(t.CreatedAt))
	}
	if !t.FirstResponseAt.IsZero() && t.FirstResponseAt.Before(t.CreatedAt) {
		return invalid(k, t.ID, "first_response_at", "%s is before created_at %s", FormatTime(t.FirstResponseAt), FormatTime(t.CreatedAt))
	}
	if !t.SLADueAt.IsZero() && t.SLADueAt.Before(t.CreatedAt) {
		return invalid(k, t.ID, "sla_due_at", "%s is before created_at %s", FormatTime(t.SLADueAt), FormatTime(t.CreatedAt))
	}
	return nil
}

// checkTicketSizes bounds the free text and the history (see limits.go).
func checkTicketSizes(t *Ticket) error {
	const k = "ticket"
	switch {
	case len(t.Subject) > MaxSubjectLen:
		return invalid(k, t.ID, "subject", "is %d bytes long (at most %d)", len(t.Subject), MaxSubjectLen)
	case len(t.Description) > MaxDescriptionLen:
		return invalid(k, t.ID, "description", "is %d bytes long (at most %d)", len(t.Description), MaxDescriptionLen)
	case len(t.Tags) > MaxTags:
		return invalid(k, t.ID, "tags", "has %d tags (at most %d)", len(t.Tags), MaxTags)
	case len(t.History) > MaxHistory:
		return invalid(k, t.ID, "history", "has %d entries (at most %d)", len(t.History), MaxHistory)
	case len(t.System) > MaxKeyLen || len(t.ExternalID) > MaxKeyLen:
		return invalid(k, t.ID, "external_id", "system or external id longer than %d bytes", MaxKeyLen)
	}
	for _, tag := range t.Tags {
		if len(tag) > MaxKeyLen {
			return invalid(k, t.ID, "tags", "a tag is %d bytes long (at most %d)", len(tag), MaxKeyLen)
		}
	}
	for i, c := range t.History {
		if len(c.By) > MaxKeyLen || len(c.Field) > MaxKeyLen || len(c.Old) > MaxNoteLen || len(c.New) > MaxNoteLen {
			return invalid(k, t.ID, "history", "entry %d is too long (by and field at most %d bytes, old and new at most %d)", i, MaxKeyLen, MaxNoteLen)
		}
	}
	return nil
}

// CheckFeedback applies the rules every stored feedback answer obeys.
func CheckFeedback(f *Feedback) error {
	const k = "feedback"
	if err := checkKey(k, f.ID, "id", f.ID, true); err != nil {
		return err
	}
	lo, hi, ok := SurveyRange(f.Survey)
	if !ok {
		return invalid(k, f.ID, "survey", "unknown survey %q (want one of %s)", f.Survey, strings.Join(Surveys, ", "))
	}
	if f.Score < lo || f.Score > hi {
		return invalid(k, f.ID, "score", "%d is out of range for %s (%d–%d)", f.Score, f.Survey, lo, hi)
	}
	if f.At.IsZero() {
		return invalid(k, f.ID, "at", "is required")
	}
	if err := checkYear(k, f.ID, "at", f.At); err != nil {
		return err
	}
	if len(f.Comment) > MaxDescriptionLen {
		return invalid(k, f.ID, "comment", "is %d bytes long (at most %d)", len(f.Comment), MaxDescriptionLen)
	}
	for _, fl := range []struct{ name, v string }{
		{"customer_id", f.CustomerID}, {"segment", f.Segment}, {"touchpoint", f.Touchpoint},
		{"channel", f.Channel}, {"ticket_id", f.TicketID}, {"survey_kind", f.Kind},
	} {
		if err := checkKey(k, f.ID, fl.name, fl.v, false); err != nil {
			return err
		}
	}
	if f.Kind != "" && !slices.Contains(FeedbackKinds, f.Kind) {
		return invalid(k, f.ID, "survey_kind", "unknown kind %q (want one of %s)", f.Kind, strings.Join(FeedbackKinds, ", "))
	}
	if f.Sentiment != nil && !(*f.Sentiment >= -1 && *f.Sentiment <= 1) {
		return invalid(k, f.ID, "sentiment", "%v is outside −1..1", *f.Sentiment)
	}
	return nil
}

// CheckEvent applies the rules every stored event obeys.
func CheckEvent(e *Event) error {
	const k = "event"
	if err := checkKey(k, e.ID, "id", e.ID, true); err != nil {
		return err
	}
	if !slices.Contains(EventTypes, e.Type) {
		return invalid(k, e.ID, "type", "unknown event type %q (want one of %s)", e.Type, strings.Join(EventTypes, ", "))
	}
	if e.At.IsZero() {
		return invalid(k, e.ID, "at", "is required")
	}
	if err := checkYear(k, e.ID, "at", e.At); err != nil {
		return err
	}
	if err := checkYear(k, e.ID, "placed_at", e.PlacedAt); err != nil {
		return err
	}
	for _, fl := range []struct{ name, v string }{
		{"customer_id", e.CustomerID}, {"segment", e.Segment}, {"variant", e.Variant}, {"order_id", e.OrderID},
	} {
		if err := checkKey(k, e.ID, fl.name, fl.v, false); err != nil {
			return err
		}
	}
	switch e.Type {
	case EventOrderPlaced:
		if e.OrderID == "" {
			return invalid(k, e.ID, "order_id", "is required for %s", e.Type)
		}
	case EventOrderProcessed:
		if e.OrderID == "" {
			return invalid(k, e.ID, "order_id", "is required for %s", e.Type)
		}
		if e.PlacedAt.IsZero() {
			return invalid(k, e.ID, "placed_at", "is required for %s", e.Type)
		}
		if e.PlacedAt.After(e.At) {
			return invalid(k, e.ID, "placed_at", "%s is after the event time %s", FormatTime(e.PlacedAt), FormatTime(e.At))
		}
	case EventPurchase:
		if e.Amount < 0 {
			return invalid(k, e.ID, "amount", "%d is negative", e.Amount)
		}
		if e.Amount > MaxAmount {
			return invalid(k, e.ID, "amount", "%d is over the largest purchase (%d minor units)", e.Amount, int64(MaxAmount))
		}
	}
	return nil
}

// CheckRecord applies the structural rules of the record's kind.
func CheckRecord(r Record) error {
	switch {
	case r.Ticket != nil:
		return CheckTicket(r.Ticket)
	case r.Feedback != nil:
		return CheckFeedback(r.Feedback)
	case r.Event != nil:
		return CheckEvent(r.Event)
	}
	return fmt.Errorf("empty record")
}

// ValidateTicket checks a ticket against the structural rules and this
// taxonomy: its status, type, sub-type, source and priority must be known.
func (tx *Taxonomy) ValidateTicket(t *Ticket) error {
	const k = "ticket"
	if err := checkKey(k, t.ID, "id", t.ID, true); err != nil {
		return err
	}
	if !tx.HasStatus(t.Status) {
		return invalid(k, t.ID, "status", "unknown status %q (want one of %s)", t.Status, strings.Join(tx.Statuses, ", "))
	}
	tt, ok := tx.Type(t.Type)
	if !ok {
		return invalid(k, t.ID, "type", "unknown type %q (want one of %s)", t.Type, strings.Join(tx.TypeNames(), ", "))
	}
	if t.SubType != "" && !slices.Contains(tt.SubTypes, t.SubType) {
		return invalid(k, t.ID, "subtype", "%q is not a sub-type of %s (want one of %s)", t.SubType, t.Type, strings.Join(tt.SubTypes, ", "))
	}
	if !tx.HasSource(t.Source) {
		return invalid(k, t.ID, "source", "unknown source %q (want one of %s)", t.Source, strings.Join(tx.Sources, ", "))
	}
	if !slices.Contains(tx.Priorities, t.Priority) {
		return invalid(k, t.ID, "priority", "unknown priority %q (want one of %s)", t.Priority, strings.Join(tx.Priorities, ", "))
	}
	return CheckTicket(t)
}

// Validate checks any record: tickets against the taxonomy, a feedback
// answer's channel against its sources, and every record against its
// structural rules.
func (tx *Taxonomy) Validate(r Record) error {
	if r.Ticket != nil {
		return tx.ValidateTicket(r.Ticket)
	}
	if f := r.Feedback; f != nil && f.Channel != "" && !tx.HasSource(f.Channel) {
		return invalid("feedback", f.ID, "channel", "unknown channel %q (want one of the sources: %s)", f.Channel, strings.Join(tx.Sources, ", "))
	}
	return CheckRecord(r)
}
