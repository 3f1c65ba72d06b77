package privacy

import (
	"github.com/cxtop/cxtop/model"
)

// Ticket masks t in place: the customer and staff are pseudonymised, and
// the subject, description, tags and notes lose emails, phone numbers and
// names. Ids, times, statuses, types, sources, priorities, departments,
// segments, touchpoints, versions and the history's shape stay, so every
// KPI and index reads the same.
func (m *Masker) Ticket(t *model.Ticket) {
	names := m.people(t)
	t.CustomerID = m.Customer(t.CustomerID)
	t.Assignee = m.Staff(t.Assignee)
	t.Subject = m.Text(t.Subject, names...)
	t.Description = m.Text(t.Description, names...)
	for i, tag := range t.Tags {
		t.Tags[i] = m.Text(tag, names...)
	}
	for i := range t.History {
		c := &t.History[i]
		c.By = m.Staff(c.By)
		switch c.Field {
		case "assignee":
			c.Old, c.New = m.Staff(c.Old), m.Staff(c.New)
		case "customer_id":
			c.Old, c.New = m.Customer(c.Old), m.Customer(c.New)
		case "status", "type", "subtype", "priority", "department", "source", "segment", "touchpoint", "escalated":
			// taxonomy values, not personal
		default: // notes, conflicts, anything free
			c.Old, c.New = m.Text(c.Old, names...), m.Text(c.New, names...)
		}
	}
}

// people are the names the ticket's free text may repeat: its assignee and
// everyone in its history, and its customer id (some helpdesks use the
// customer's name or address as the id).
func (m *Masker) people(t *model.Ticket) []string {
	names := []string{t.CustomerID, t.Assignee}
	for _, c := range t.History {
		names = append(names, c.By)
		if c.Field == "assignee" {
			names = append(names, c.Old, c.New)
		}
	}
	return names
}

// Feedback masks f in place: the customer is pseudonymised and the comment
// masked; the ticket id stays, so a post-resolution answer still joins its
// ticket.
func (m *Masker) Feedback(f *model.Feedback) {
	f.Comment = m.Text(f.Comment, f.CustomerID)
	f.CustomerID = m.Customer(f.CustomerID)
}

// Event masks e in place: only the customer is personal.
func (m *Masker) Event(e *model.Event) {
	e.CustomerID = m.Customer(e.CustomerID)
}

// Record masks whichever record r holds, in place.
func (m *Masker) Record(r model.Record) {
	switch {
	case r.Ticket != nil:
		m.Ticket(r.Ticket)
	case r.Feedback != nil:
		m.Feedback(r.Feedback)
	case r.Event != nil:
		m.Event(r.Event)
	}
}
