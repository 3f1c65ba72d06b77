package engine

// PendingTickets counts, per ticket, the triage actions the remote has not
// acknowledged yet. The store keeps them apart from the outbox's contact
// requests, which may be many thousand (store/outbox_index.go); the engine
// reads them again only when the outbox's newest entry or its length moved.
func PendingTickets(r Reader) (map[string]int, error) {
	return r.st.PendingActions()
}
