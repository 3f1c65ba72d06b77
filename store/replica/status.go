package replica

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cxtop/cxtop/store"
)

// Meta keys the client writes, with each page, in the page's transaction.
const (
	metaCursor = store.MetaSyncCursor
	metaStatus = "sync/status"
	// metaRemoteState is what a stateful remote keeps (Zendesk's names).
	metaRemoteState = "sync/remote_state"
)

// Status is the sync state the console shows. It is stored in the store's
// meta bucket with every page, so it survives restarts and other processes
// (a viewer of the same file) can read it.
type Status struct {
	Source string `json:"source"` // "hub" or "zendesk"
	Remote string `json:"remote"` // the remote's URL (never credentials)
	// LastSuccess is when the last step (a page committed, the outbox
	// pushed) succeeded; CaughtUpAt when the store last matched the remote.
	LastSuccess time.Time `json:"last_success"`
	CaughtUpAt  time.Time `json:"caught_up_at"`
	// Records counts the records pulled and committed so far.
	Records uint64 `json:"records"`
	// Pending is the number of outbox entries not yet delivered.
	Pending int `json:"pending"`
	// Pushed counts delivered actions; Conflicts those the remote refused
	// because the ticket had changed (the remote's version won).
	Pushed       uint64 `json:"pushed"`
	Conflicts    uint64 `json:"conflicts"`
	LastConflict string `json:"last_conflict,omitempty"`
	// Deleted counts records removed because the source deleted them.
	Deleted uint64 `json:"deleted"`
	// Quarantined is the number of records held in the quarantine now (read
	// live); QuarantinedTotal counts those ever quarantined by this sync.
	Quarantined      int    `json:"quarantined"`
	QuarantinedTotal uint64 `json:"quarantined_total"`
	// LastError is the last failure ("" once a later step succeeds).
	LastError   string    `json:"last_error,omitempty"`
	LastErrorAt time.Time `json:"last_error_at"`
}

// Lag is how old the store's view of the remote may be at now: the time
// since it last caught up. Zero before the first sync.
func (s Status) Lag(now time.Time) time.Duration {
	if s.CaughtUpAt.IsZero() {
		return 0
	}
	return max(now.Sub(s.CaughtUpAt), 0)
}

// ReadStatus reads the stored sync state of st (read-only stores too). The
// pending count is read live from the outbox.
func ReadStatus(st *store.Store) (Status, error) {
	var s Status
	b, err := st.Meta(metaStatus)
	if err != nil {
		return s, fmt.Errorf("sync status of %s: %w", st.Path(), err)
	}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &s); err != nil {
			return s, fmt.Errorf("sync status of %s: %w", st.Path(), err)
		}
	}
	if n, err := st.OutboxLen(); err == nil {
		s.Pending = n
	}
	if n, err := st.QuarantineLen(); err == nil {
		s.Quarantined = n
	}
	return s, nil
}

// ReadCursor is the cursor the next pull resumes from ("" = beginning).
func ReadCursor(st *store.Store) (string, error) {
	b, err := st.Meta(metaCursor)
	return string(b), err
}
