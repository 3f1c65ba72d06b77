package engine

import (
	"encoding/json"

	"github.com/cxtop/cxtop/store"
)

// PendingTickets counts, per ticket, the triage actions the remote has not
// acknowledged yet: the outbox is short (it drains on every sync round), and the engine reads it again only when its newest entry or its length moved.
func PendingTickets(r Reader) (map[string]int, error) {
	entries, err := r.Outbox(0)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, e := range entries {
		if id := actionTicket(e); id != "" {
			out[id]++
		}
	}
	return out, nil
}

// actionTicket is the ticket a triage entry of the outbox is about.
func actionTicket(e store.OutboxEntry) string {
	if e.Kind != store.OutboxAction {
		return ""
	}
	var a struct {
		TicketID string `json:"ticket_id"`
	}
	if json.Unmarshal(e.Payload, &a) != nil {
		return ""
	}
	return a.TicketID
}
