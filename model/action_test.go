package model

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestApplyAction(t *testing.T) {
	tax := DefaultTaxonomy()
	open := sampleTicket()
	open.Status, open.ResolvedAt, open.Escalated = StatusNew, time.Time{}, false
	open.FirstResponseAt, open.UpdatedAt = time.Time{}, when
	at := when.Add(2 * time.Hour)
	act := func(kind string, f func(*Action)) Action {
		a := Action{ID: "a1", TicketID: open.ID, BaseVersion: open.Version, Kind: kind, By: "lan", At: at}
		if f != nil {
			f(&a)
		}
		return a
	}
	for _, tc := range []struct {
		name  string
		a     Action
		check func(*Ticket) bool
		err   string
	}{
		{"done", act(ActionStatus, func(a *Action) { a.Status = StatusDone }), func(n *Ticket) bool {
			return n.Status == StatusDone && n.ResolvedAt.Equal(at) && n.FirstResponseAt.Equal(at)
		}, ""},
		{"escalate", act(ActionEscalate, nil), func(n *Ticket) bool { return n.Escalated }, ""},
		{"assign", act(ActionAssign, func(a *Action) { a.Assignee = "minh" }), func(n *Ticket) bool {
			return n.Assignee == "minh" && n.Department == open.Department
		}, ""},
		{"priority moves SLA", act(ActionPriority, func(a *Action) { a.Priority = PriorityUrgent }), func(n *Ticket) bool {
			return n.SLADueAt.Equal(n.CreatedAt.Add(4 * time.Hour))
		}, ""},
		{"type", act(ActionType, func(a *Action) { a.Type, a.SubType = "technical_support", "app_bug" }), func(n *Ticket) bool {
			return n.Type == "technical_support" && n.SubType == "app_bug"
		}, ""},
		{"note", act(ActionNote, func(a *Action) { a.Note = " called back " }), func(n *Ticket) bool {
			return n.History[len(n.History)-1].New == "called back"
		}, ""},
		{"stale", act(ActionEscalate, func(a *Action) { a.BaseVersion = 1 }), nil, "changed meanwhile"},
		{"bad status", act(ActionStatus, func(a *Action) { a.Status = "closed" }), nil, `status "closed" is not known`},
		{"bad subtype", act(ActionType, func(a *Action) { a.Type, a.SubType = "complaint", "app_bug" }), nil, "is not a sub-type of complaint"},
		{"no-op", act(ActionPriority, func(a *Action) { a.Priority = open.Priority }), nil, "nothing to change"},
		{"empty note", act(ActionNote, nil), nil, "is empty"},
		{"unknown kind", act("delete", nil), nil, `action kind "delete" is not known`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := string(AppendTicket(nil, open))
			n, err := tax.ApplyAction(open, tc.a)
			if string(AppendTicket(nil, open)) != before {
				t.Fatal("ApplyAction modified its input")
			}
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(n) || n.Version != open.Version+1 || !n.UpdatedAt.Equal(at) || len(n.History) <= len(open.History) {
				t.Fatalf("result %s", AppendTicket(nil, n))
			}
		})
	}
	var conflict *ErrConflict
	_, err := tax.ApplyAction(open, act(ActionEscalate, func(a *Action) { a.BaseVersion = 9 }))
	if !errors.As(err, &conflict) || conflict.Current != open.Version {
		t.Fatalf("conflict error %v", err)
	}
}
