package tui

import (
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
)

// Role is what a session may do.
type Role string

const (
	RoleLead     Role = "lead"     // triages: the only role that writes
	RoleViewer   Role = "viewer"   // watches (SSH viewers, --read-only)
	RoleSnapshot Role = "snapshot" // a read-only store file
)

// ErrReadOnly is what every write says in a session that may not write.
var ErrReadOnly = errors.New("read-only")

// Gate is the one door from the console to the store's writes: every
// triage key goes through Apply, which refuses anything but a lead.
type Gate struct {
	Role     Role
	Store    *store.Store
	Taxonomy model.Taxonomy
	User     string
	Now      func() time.Time
	// seq makes action ids unique; triage commands run concurrently (two
	// quick keys), so it is atomic.
	seq atomic.Uint64
}

// Apply writes one triage action on t (locally and into the outbox).
func (g *Gate) Apply(t *model.Ticket, kind string, fill func(*model.Action)) (*model.Ticket, error) {
	if g.Role != RoleLead || g.Store == nil || g.Store.ReadOnly() {
		return nil, ErrReadOnly
	}
	seq := g.seq.Add(1)
	now := g.Now().UTC()
	a := model.Action{
		ID:       fmt.Sprintf("tui-%s-%d-%d", t.ID, now.UnixNano(), seq),
		TicketID: t.ID, BaseVersion: t.Version, Kind: kind, By: g.User, At: now,
	}
	if fill != nil {
		fill(&a)
	}
	return g.Store.ApplyAction(&g.Taxonomy, a)
}

// Ack acknowledges an alert as the session's user. Acknowledging is a
// write like triage: only a lead may.
func (g *Gate) Ack(key string) (alert.Alert, error) {
	if g.Role != RoleLead || g.Store == nil || g.Store.ReadOnly() {
		return alert.Alert{}, ErrReadOnly
	}
	return g.Store.AckAlert(key, g.User, g.Now().UTC())
}
