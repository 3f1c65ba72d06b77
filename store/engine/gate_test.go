package engine

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
)

// gateStore is a writable store with one open ticket and one firing alert.
func gateStore(t *testing.T) *store.Store {
	t.Helper()
	s := open(t, filepath.Join(t.TempDir(), "cx.db"))
	t.Cleanup(func() { s.Close() })
	created := now.Add(-10 * time.Hour)
	_, err := s.Write([]model.Record{{Ticket: &model.Ticket{ID: "T00000001", Subject: "Order late", Status: model.StatusNew,
		Type: "complaint", SubType: "late_delivery", Source: "email", Priority: model.PriorityHigh,
		CreatedAt: created, UpdatedAt: created, SLADueAt: created.Add(24 * time.Hour), Version: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Update(func(w *store.Writer) error {
		return w.PutAlert(alert.Alert{Key: "csat_drop", Rule: "csat_drop", Severity: alert.Critical, State: alert.Firing,
			Message: "CSAT dropped", FiredAt: now.Add(-time.Hour), UpdatedAt: now.Add(-time.Hour)})
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestGateRefusesEveryWriteOutsideTheLeadRole walks every action kind
// through the gate for every role.
func TestGateRefusesEveryWriteOutsideTheLeadRole(t *testing.T) {
	fills := map[string]func(*model.Action){
		model.ActionStatus:   func(a *model.Action) { a.Status = model.StatusInProgress },
		model.ActionAssign:   func(a *model.Action) { a.Assignee = "minh" },
		model.ActionType:     func(a *model.Action) { a.Type, a.SubType = "suggestion", "app_feature" },
		model.ActionPriority: func(a *model.Action) { a.Priority = model.PriorityUrgent },
		model.ActionNote:     func(a *model.Action) { a.Note = "called back" },
		model.ActionEscalate: nil,
	}
	for _, role := range []Role{RoleLead, RoleViewer, RoleSnapshot} {
		for _, kind := range model.ActionKinds {
			s := gateStore(t)
			g := New(s, Options{NoRules: true, Now: func() time.Time { return now }}).Gate(role, "lan")
			tk, _ := s.Ticket("T00000001")
			_, err := g.Apply(tk, kind, fills[kind])
			after, _ := s.Ticket("T00000001")
			pending, _ := s.OutboxLen()
			switch role {
			case RoleLead:
				if err != nil || after.Version != 2 || pending != 1 {
					t.Errorf("lead %s: err %v, version %d, outbox %d", kind, err, after.Version, pending)
				}
			default:
				if !errors.Is(err, ErrReadOnly) || after.Version != 1 || pending != 0 {
					t.Errorf("%s %s: err %v, version %d, outbox %d; want read-only and nothing written", role, kind, err, after.Version, pending)
				}
			}
		}
	}
}

// TestGateAckOnlyForLeads acknowledges the stored alert through the gate
// in every role: only a lead's write lands.
func TestGateAckOnlyForLeads(t *testing.T) {
	for _, role := range []Role{RoleLead, RoleViewer, RoleSnapshot} {
		s := gateStore(t)
		g := New(s, Options{NoRules: true, Now: func() time.Time { return now }}).Gate(role, "lan")
		_, err := g.Ack("csat_drop")
		stored, _ := s.Alerts(false)
		state := stored[0].State
		switch {
		case role == RoleLead && (err != nil || state != alert.Acknowledged || stored[0].AckedBy != "lan"):
			t.Errorf("lead ack: err %v, state %s", err, state)
		case role != RoleLead && (!errors.Is(err, ErrReadOnly) || state != alert.Firing):
			t.Errorf("%s ack: err %v, state %s; want read-only and nothing written", role, err, state)
		}
	}
}

// TestGateOfAReadOnlyEngineRefusesALead: a lead's gate on an engine that
// may not write refuses too.
func TestGateOfAReadOnlyEngineRefusesALead(t *testing.T) {
	s := gateStore(t)
	g := New(s, Options{ReadOnly: true}).Gate(RoleLead, "lan")
	tk, _ := s.Ticket("T00000001")
	if _, err := g.Apply(tk, model.ActionEscalate, nil); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("apply on a read-only engine: %v", err)
	}
	if _, err := g.Ack("csat_drop"); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("ack on a read-only engine: %v", err)
	}
}
