// Package sync keeps a cxtop store in step with a remote: it pulls pages of
// changes by cursor into the store (one transaction per page, cursor and
// sync state included) and pushes the outbox of triage actions. Adapters
// speak the cxtop hub protocol (docs/sync-api.md) and Zendesk's incremental
// export.
package replica

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
)

// Page is one pull: records in the remote's commit order and the cursor to
// resume after them.
type Page struct {
	Records []model.Record
	// Deleted lists records removed at the source: the store deletes them
	// (and their rollups, indexes and activity) in the page's transaction.
	Deleted []store.Deleted
	// Quarantined holds what the adapter could not map: kept raw with the
	// reason, so one bad record never stalls the sync (quarantine.go).
	Quarantined []store.Quarantined
	Next        string
	HasMore     bool
}

// Push outcomes.
const (
	PushApplied  = "applied"  // the remote took the action
	PushConflict = "conflict" // the ticket changed meanwhile: the remote's version wins
	PushRefused  = "refused"  // the remote refused the action for good (bad or unknown)
)

// PushResult is the remote's answer to one action. Ticket, when set, is the
// remote's current version, which replaces the local one. Stamp, when set
// on an applied action, is the ticket's stamp after it (Zendesk's
// updated_at): the settling transaction moves the local ticket and the
// actions still queued on the old stamp to it (store.Writer.AdvanceStamp).
type PushResult struct {
	Outcome string
	Ticket  *model.Ticket
	Message string
	Stamp   string
}

// Remote is a source of truth the client syncs with.
type Remote interface {
	// Name says which remote this is in messages (never with credentials).
	Name() string
	// Pull returns the page after cursor ("" = from the beginning).
	Pull(ctx context.Context, cursor string, limit int) (*Page, error)
	// Push delivers one triage action; ErrPushUnsupported when the remote
	// takes none.
	Push(ctx context.Context, a model.Action) (*PushResult, error)
}

// ErrCursorExpired means the remote no longer knows the cursor (its store
// was recreated, or it is another remote): the client starts again from
// the beginning, which re-applies records idempotently.
var ErrCursorExpired = errors.New("cursor expired")

// ErrPushUnsupported is returned by remotes that are read-only for cxtop.
var ErrPushUnsupported = errors.New("this remote does not take triage actions")

// HTTPError is an answer other than success. RetryAfter is the delay the
// remote asked for (429, 503), 0 when it named none.
type HTTPError struct {
	Status     int
	RetryAfter time.Duration
	Message    string
}

func (e *HTTPError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("HTTP %d", e.Status)
	}
	return fmt.Sprintf("HTTP %d: %s", e.Status, e.Message)
}

// temporary reports whether waiting and retrying can help.
func (e *HTTPError) temporary() bool {
	return e.Status == 408 || e.Status == 429 || e.Status >= 500
}

// PageError is a page that cannot be applied: malformed JSON or a record
// that fails parsing or validation. It names the record.
type PageError struct {
	Index int    // position in the page, -1 for the page itself
	Kind  string // record kind, when known
	ID    string // record id, when known
	Field string // the field at fault, when known
	Err   error
}

func (e *PageError) Error() string {
	switch {
	case e.Index < 0:
		return fmt.Sprintf("malformed page: %v", e.Err)
	case e.ID != "":
		return fmt.Sprintf("record %d (%s %s): %v", e.Index, e.Kind, e.ID, e.Err)
	}
	return fmt.Sprintf("record %d: %v", e.Index, e.Err)
}

func (e *PageError) Unwrap() error { return e.Err }
