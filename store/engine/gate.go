package engine

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

// Gate is the one door from a session to the store's writes: triage
// actions and acknowledgements. It refuses anything but a lead on an
// engine that may write. Sessions get a Gate and a Reader, never the
// store, so a key that is not wired to the gate cannot write.
type Gate struct {
	role     Role
	st       *store.Store // nil when the engine may not write
	taxonomy model.Taxonomy
	user     string
	now      func() time.Time
	// seq makes action ids unique; triage commands run concurrently (two
	// quick keys), so it is atomic.
	seq *atomic.Uint64
}

// Role is the role the gate was made for.
func (g *Gate) Role() Role { return g.role }

// User is who the gate records actions as.
func (g *Gate) User() string { return g.user }

// CanWrite reports whether a write through this gate may land.
func (g *Gate) CanWrite() bool { return g.role == RoleLead && g.st != nil && !g.st.ReadOnly() }

// Apply writes one triage action on t (locally and into the outbox, in
// one transaction) and returns the ticket as written.
func (g *Gate) Apply(t *model.Ticket, kind string, fill func(*model.Action)) (*model.Ticket, error) {
	if !g.CanWrite() {
		return nil, ErrReadOnly
	}
	seq := g.seq.Add(1)
	now := g.now().UTC()
	a := model.Action{
		ID:       fmt.Sprintf("tui-%s-%d-%d", t.ID, now.UnixNano(), seq),
		TicketID: t.ID, BaseVersion: t.Version, Kind: kind, By: g.user, At: now,
	}
	if fill != nil {
		fill(&a)
	}
	return g.st.ApplyAction(&g.taxonomy, a)
}

// Ack acknowledges an alert as the gate's user. Acknowledging is a write
// like triage: only a lead may.
func (g *Gate) Ack(key string) (alert.Alert, error) {
	if !g.CanWrite() {
		return alert.Alert{}, ErrReadOnly
	}
	return g.st.AckAlert(key, g.user, g.now().UTC())
}
