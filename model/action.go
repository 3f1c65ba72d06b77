package model

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Triage action kinds: what a lead can do to a ticket with one key.
const (
	ActionStatus   = "status"   // set Status
	ActionAssign   = "assign"   // set Department and/or Assignee
	ActionType     = "type"     // set Type and SubType
	ActionPriority = "priority" // set Priority (the SLA due time follows)
	ActionNote     = "note"     // add Note to the history
	ActionEscalate = "escalate" // hand to a human / a higher tier
)

// ActionKinds lists the action kinds in a stable order.
var ActionKinds = []string{ActionStatus, ActionAssign, ActionType, ActionPriority, ActionNote, ActionEscalate}

// Action is one triage change. It is applied locally at once and queued in
// the outbox for the remote, which applies the same function; ID is the
// idempotency key and BaseVersion the ticket version the user saw, so the
// remote can refuse a change made on a stale ticket.
type Action struct {
	ID          string `json:"id"`
	TicketID    string `json:"ticket_id"`
	BaseVersion uint64 `json:"base_version"`
	// BaseStamp is the ticket's SourceStamp when the action was taken
	// (set by the store): what a source with its own stamp (Zendesk's
	// updated_stamp) compares to refuse a stale change.
	BaseStamp  string    `json:"base_stamp,omitempty"`
	Kind       string    `json:"kind"`
	Status     string    `json:"status,omitempty"`
	Department string    `json:"department,omitempty"`
	Assignee   string    `json:"assignee,omitempty"`
	Type       string    `json:"type,omitempty"`
	SubType    string    `json:"subtype,omitempty"`
	Priority   string    `json:"priority,omitempty"`
	Note       string    `json:"note,omitempty"`
	By         string    `json:"by"`
	At         time.Time `json:"at"`
}

// ErrConflict is returned when an action was based on an older version of
// the ticket than the one it meets.
type ErrConflict struct {
	TicketID      string
	Base, Current uint64
}

func (e *ErrConflict) Error() string {
	return fmt.Sprintf("ticket %s changed meanwhile (action based on version %d, ticket is at %d)", e.TicketID, e.Base, e.Current)
}

// ApplyAction returns a copy of t with a applied: the fields changed, one
// history entry per changed field, Version incremented and UpdatedAt set.
// An action that changes nothing is an error, so a key press that does
// nothing says so. t is not modified.
func (tx *Taxonomy) ApplyAction(t *Ticket, a Action) (*Ticket, error) {
	if a.TicketID != t.ID {
		return nil, fmt.Errorf("action %s is for ticket %s, not %s", a.ID, a.TicketID, t.ID)
	}
	if a.By == "" || a.At.IsZero() {
		return nil, fmt.Errorf("action on ticket %s: id, by and at are required", t.ID)
	}
	// The whole action is checked before the version, so a stale action
	// that could never apply is refused as invalid, not recorded as a conflict.
	if err := tx.CheckAction(a); err != nil {
		return nil, err
	}
	if a.BaseVersion != t.Version {
		return nil, &ErrConflict{TicketID: t.ID, Base: a.BaseVersion, Current: t.Version}
	}
	if len(t.History) >= MaxHistory {
		return nil, fmt.Errorf("ticket %s: its history is full (%d entries): no more changes can be recorded", t.ID, MaxHistory)
	}
	n := t.Clone()
	at := a.At.UTC()
	set := func(field string, p *string, v string) {
		if *p != v {
			n.History = append(n.History, Change{At: at, By: a.By, Field: field, Old: *p, New: v})
			*p = v
		}
	}
	switch a.Kind {
	case ActionStatus:
		set("status", &n.Status, a.Status)
		switch {
		case a.Status == StatusDone && n.ResolvedAt.IsZero():
			n.ResolvedAt = at
		case a.Status != StatusDone:
			n.ResolvedAt = time.Time{} // reopened
		}
		if a.Status != StatusNew && n.FirstResponseAt.IsZero() {
			n.FirstResponseAt = at
		}
	case ActionAssign:
		if a.Department != "" {
			set("department", &n.Department, a.Department)
		}
		if a.Assignee != "" {
			set("assignee", &n.Assignee, a.Assignee)
		}
	case ActionType:
		set("type", &n.Type, a.Type)
		set("subtype", &n.SubType, a.SubType)
	case ActionPriority:
		set("priority", &n.Priority, a.Priority)
		if due := tx.SLADue(a.Priority, n.CreatedAt); !due.IsZero() {
			n.SLADueAt = due
		}
	case ActionNote:
		n.History = append(n.History, Change{At: at, By: a.By, Field: "note", New: strings.TrimSpace(a.Note)})
	case ActionEscalate:
		if !n.Escalated {
			n.Escalated = true
			n.History = append(n.History, Change{At: at, By: a.By, Field: "escalated", Old: "false", New: "true"})
		}
	}
	if len(n.History) == len(t.History) {
		return nil, fmt.Errorf("ticket %s: nothing to change (%s is already so)", t.ID, a.Kind)
	}
	n.Version++
	if at.After(n.UpdatedAt) {
		n.UpdatedAt = at
	}
	if err := tx.ValidateTicket(n); err != nil {
		return nil, err
	}
	return n, nil
}

// CheckAction checks everything about an action that does not depend on
// the ticket it meets: its id and ticket id, its kind and the values that
// kind sets (known to the taxonomy, printable, bounded), and the note's
// size. A server runs it before it writes anything.
func (tx *Taxonomy) CheckAction(a Action) error {
	const k = "action"
	if err := checkKey(k, a.ID, "id", a.ID, true); err != nil {
		return err
	}
	if err := checkKey(k, a.ID, "ticket_id", a.TicketID, true); err != nil {
		return err
	}
	for _, f := range []struct{ name, v string }{
		{"by", a.By}, {"status", a.Status}, {"department", a.Department}, {"assignee", a.Assignee},
		{"type", a.Type}, {"subtype", a.SubType}, {"priority", a.Priority},
	} {
		if err := checkKey(k, a.ID, f.name, f.v, false); err != nil {
			return err
		}
	}
	if len(a.Note) > MaxNoteLen {
		return invalid(k, a.ID, "note", "is %d bytes long (at most %d)", len(a.Note), MaxNoteLen)
	}
	switch a.Kind {
	case ActionStatus:
		if !tx.HasStatus(a.Status) {
			return fmt.Errorf("status %q is not known: use one of %s", a.Status, strings.Join(tx.Statuses, ", "))
		}
	case ActionAssign:
		if a.Department == "" && a.Assignee == "" {
			return fmt.Errorf("assign ticket %s: name a department or an assignee", a.TicketID)
		}
	case ActionType:
		tt, ok := tx.Type(a.Type)
		if !ok {
			return fmt.Errorf("type %q is not known: use one of %s", a.Type, strings.Join(tx.TypeNames(), ", "))
		}
		if a.SubType != "" && !slices.Contains(tt.SubTypes, a.SubType) {
			return fmt.Errorf("%q is not a sub-type of %s: use one of %s", a.SubType, a.Type, strings.Join(tt.SubTypes, ", "))
		}
	case ActionPriority:
		if !slices.Contains(tx.Priorities, a.Priority) {
			return fmt.Errorf("priority %q is not known: use one of %s", a.Priority, strings.Join(tx.Priorities, ", "))
		}
	case ActionNote:
		note := strings.TrimSpace(a.Note)
		if note == "" {
			return fmt.Errorf("note on ticket %s is empty", a.TicketID)
		}
		if !utf8.ValidString(note) {
			return invalid(k, a.ID, "note", "is not valid UTF-8")
		}
	case ActionEscalate:
	default:
		return fmt.Errorf("action kind %q is not known: use one of %s", a.Kind, strings.Join(ActionKinds, ", "))
	}
	return nil
}
