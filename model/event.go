package model

import "time"

// Journey event types other KPIs need.
const (
	EventFormStarted    = "form_started"
	EventFormCompleted  = "form_completed"
	EventFormAbandoned  = "form_abandoned"
	EventOrderPlaced    = "order_placed"
	EventOrderProcessed = "order_processed"
	EventPurchase       = "purchase"
	EventDigitalLogin   = "digital_login"
)

// EventTypes lists the event types in a stable order.
var EventTypes = []string{
	EventFormStarted, EventFormCompleted, EventFormAbandoned,
	EventOrderPlaced, EventOrderProcessed, EventPurchase, EventDigitalLogin,
}

// Event is one journey event. Only the fields its type needs are set:
// forms carry Variant, orders carry OrderID (and PlacedAt once processed),
// purchases carry Amount and Digital.
type Event struct {
	ID         string
	Type       string
	At         time.Time
	CustomerID string
	Segment    string
	Variant    string
	OrderID    string
	// PlacedAt is when the order of an order_processed event was placed, so
	// processing time is known from this one record.
	PlacedAt time.Time
	// Amount is in minor currency units (cents) so sums stay exact.
	Amount  int64
	Digital bool
}

// IsForm reports whether the event belongs to a form session.
func IsForm(eventType string) bool {
	return eventType == EventFormStarted || eventType == EventFormCompleted || eventType == EventFormAbandoned
}
