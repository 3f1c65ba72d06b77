package tui

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
)

var testNow = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func testStore(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "cx.db"), store.Options{Create: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	var recs []model.Record
	// Four tickets of the last day and one open for twelve days, past
	// the closed-loop limit (it raises an alert).
	for i, subj := range []string{"Order #1 late", "Refund \x1b[31mmissing\x1b[0m", "App crashes", "Voucher not applied", "Exchange never arrived"} {
		created := testNow.Add(-time.Duration(10+i*7) * time.Hour)
		typ, sub, src := "complaint", "late_delivery", "zalo_oa"
		if i == 4 {
			created = testNow.Add(-12 * 24 * time.Hour)
			typ, sub, src = "return_exchange", "exchange_request", "email"
		}
		recs = append(recs, model.Record{Ticket: &model.Ticket{
			ID: "T0000000" + string(rune('1'+i)), Subject: subj, Status: model.StatusNew, Type: typ,
			SubType: sub, Source: src, Priority: model.PriorityHigh, Department: "customer_care",
			CustomerID: "C000042", Segment: "vip", CreatedAt: created, UpdatedAt: created,
			SLADueAt: created.Add(24 * time.Hour), Version: 1,
			History: []model.Change{{At: created, By: "system", Field: "status", New: model.StatusNew}},
		}})
	}
	s5 := 0.5
	recs = append(recs,
		model.Record{Feedback: &model.Feedback{ID: "F1", Survey: model.SurveyCSAT, Score: 5, At: testNow.Add(-2 * time.Hour),
			CustomerID: "C000042", Segment: "vip", TicketID: "T00000001", Sentiment: &s5}},
		model.Record{Feedback: &model.Feedback{ID: "F2", Survey: model.SurveyBot, Score: 2, At: testNow.Add(-3 * time.Hour),
			CustomerID: "C000042", Segment: "vip", TicketID: "T00000001", Kind: model.KindChatbot, Comment: "bot did not understand"}},
		model.Record{Feedback: &model.Feedback{ID: "F3", Survey: model.SurveyNPS, Score: 4, At: testNow.Add(-30 * time.Hour),
			CustomerID: "C000042", Segment: "vip", Kind: model.KindRelationship}},
	)
	if _, err := s.Write(recs); err != nil {
		t.Fatal(err)
	}
	// A KPI alert as an earlier evaluation left it.
	_, err = s.Update(func(w *store.Writer) error {
		return w.PutAlert(alert.Alert{Key: "csat_drop", Rule: "csat_drop", Severity: alert.Critical, State: alert.Firing,
			Message: "CSAT dropped 7.5% vs the previous 1d (limit 5%)", Value: 0.075,
			FiredAt: testNow.Add(-90 * time.Minute), UpdatedAt: testNow.Add(-90 * time.Minute)})
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
			s := testStore(t)
			g := &Gate{Role: role, Store: s, Taxonomy: model.DefaultTaxonomy(), User: "lan", Now: func() time.Time { return testNow }}
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
		s := testStore(t)
		g := &Gate{Role: role, Store: s, User: "lan", Now: func() time.Time { return testNow }}
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

// TestEvaluationCadence: a lead session runs the rules at start and then
// at most once per EvaluateEvery; with a runner in the process (negative)
// or as a viewer, never.
func TestEvaluationCadence(t *testing.T) {
	now := testNow
	for _, c := range []struct {
		role  Role
		every time.Duration
		runs  []bool // at 0, +30s, +61s
	}{
		{RoleLead, 0, []bool{true, false, true}},
		{RoleLead, -1, []bool{false, false, false}},
		{RoleViewer, 0, []bool{false, false, false}},
	} {
		clock := now
		m, err := New(Options{Store: testStore(t), Role: c.role, Theme: "dark", Renderer: asciiRenderer(),
			Now: func() time.Time { return clock }, EvaluateEvery: c.every})
		if err != nil {
			t.Fatal(err)
		}
		for i, at := range []time.Duration{0, 30 * time.Second, 61 * time.Second} {
			clock = now.Add(at)
			cmd := m.evaluate()
			if (cmd != nil) != c.runs[i] {
				t.Fatalf("%s every %s at +%s: evaluates %v, want %v", c.role, c.every, at, cmd != nil, c.runs[i])
			}
			if cmd != nil {
				m.Update(cmd())
			}
		}
	}
}
