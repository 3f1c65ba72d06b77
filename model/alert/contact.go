package alert

import (
	"hash/fnv"
	"time"
)

// Contact purposes and channels of a contact request.
const (
	PurposeFollowUp     = "follow_up"         // call back a detractor
	PurposeSurvey       = "survey"            // post-resolution CSAT survey
	PurposeEscalation   = "escalation_notice" // tell a chatbot customer a person took over
	PurposeFormReminder = "form_reminder"     // remind a customer of a form left half-filled

	ChannelEmail   = "email"
	ChannelZaloZNS = "zalo_zns"
	ChannelSMS     = "sms"
)

// Contact is a request for the remote to reach a customer: cxtop never
// sends messages itself. Key is the outbox idempotency key.
type Contact struct {
	Key        string    `json:"key"`
	Purpose    string    `json:"purpose"`
	Channel    string    `json:"channel"`
	CustomerID string    `json:"customer_id"`
	TicketID   string    `json:"ticket_id,omitempty"`
	EventID    string    `json:"event_id,omitempty"`
	FeedbackID string    `json:"feedback_id,omitempty"`
	Survey     string    `json:"survey,omitempty"`
	DueAt      time.Time `json:"due_at,omitzero"`
	At         time.Time `json:"at"`
}

// ContactChannel is the customer's preferred channel. The model keeps no
// preference, so it is derived from the customer id: stable for a
// customer, the same on every replica, and about half Zalo ZNS, 30% email
// and 20% SMS, as in the markets the playbook serves.
func ContactChannel(customerID string) string {
	h := fnv.New32a()
	h.Write([]byte(customerID))
	switch n := h.Sum32() % 10; {
	case n < 5:
		return ChannelZaloZNS
	case n < 8:
		return ChannelEmail
	}
	return ChannelSMS
}
