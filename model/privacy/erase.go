package privacy

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/cxtop/cxtop/model"
)

// Erased replaces free text that named or quoted a forgotten customer.
const Erased = "[erased]"

// ErasedCustomer makes the random id that replaces a forgotten customer's
// on every one of their records: random, so it cannot be traced back (a
// keyed pseudonym could be recomputed), and one per customer, so distinct
// customer counts and activity stay what they were.
func ErasedCustomer() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return "erased-" + hex.EncodeToString(b[:]), nil
}

// Erase applies the right to erasure to one record of a customer, in
// place: the customer id becomes anon, and every free text (subject,
// description, notes and conflicts in the history, survey comment) is
// erased. What the KPIs count stays: ids, times, statuses, types,
// sources, priorities, departments, segments, touchpoints, scores, amounts.
func Erase(r model.Record, anon string) {
	switch {
	case r.Ticket != nil:
		t := r.Ticket
		t.CustomerID = anon
		if t.Subject != "" {
			t.Subject = Erased
		}
		if t.Description != "" {
			t.Description = Erased
		}
		for i := range t.History {
			c := &t.History[i]
			switch c.Field {
			case "status", "type", "subtype", "priority", "department", "source", "segment", "touchpoint", "escalated", "assignee":
			case "customer_id":
				c.Old, c.New = anon, anon
			default:
				if c.Old != "" {
					c.Old = Erased
				}
				if c.New != "" {
					c.New = Erased
				}
			}
		}
	case r.Feedback != nil:
		r.Feedback.CustomerID = anon
		if r.Feedback.Comment != "" {
			r.Feedback.Comment = Erased
		}
	case r.Event != nil:
		r.Event.CustomerID = anon
	}
}
