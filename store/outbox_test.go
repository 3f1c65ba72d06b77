package store

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
)

func TestApplyActionQueuesOutbox(t *testing.T) {
	s := openTemp(t)
	tax := model.DefaultTaxonomy()
	rng := rand.New(rand.NewPCG(21, 22))
	tk := randomTicket(rng, 1)
	tk.Status, tk.FirstResponseAt, tk.ResolvedAt, tk.Escalated = model.StatusNew, time.Time{}, time.Time{}, false
	if _, err := s.Write([]model.Record{{Ticket: tk}}); err != nil {
		t.Fatal(err)
	}
	a := model.Action{ID: "act-1", TicketID: tk.ID, BaseVersion: tk.Version, Kind: model.ActionEscalate, By: "lead", At: tk.CreatedAt.Add(time.Hour)}
	got, err := s.ApplyAction(&tax, a)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := s.Ticket(tk.ID)
	if !got.Escalated || !stored.Escalated || stored.Version != tk.Version+1 {
		t.Fatalf("stored ticket not escalated: %s", model.AppendTicket(nil, stored))
	}
	q, _ := s.Tickets(TicketQuery{Limit: 1})
	if len(q) != 1 || !q[0].Escalated {
		t.Fatal("queue does not show the escalation")
	}
	out, err := s.Outbox(0)
	if err != nil || len(out) != 1 || out[0].Key != "act-1" || out[0].Kind != OutboxAction {
		t.Fatalf("outbox %+v %v", out, err)
	}
	var back model.Action
	if err := json.Unmarshal(out[0].Payload, &back); err != nil || back.Kind != model.ActionEscalate || back.BaseVersion != tk.Version {
		t.Fatalf("outbox payload %s: %v", out[0].Payload, err)
	}
	// The same action again is a conflict: the ticket moved on.
	var conflict *model.ErrConflict
	if _, err := s.ApplyAction(&tax, a); !errors.As(err, &conflict) {
		t.Fatalf("replayed action: err %v, want a conflict", err)
	}
	if n, _ := s.OutboxLen(); n != 1 {
		t.Fatalf("outbox has %d entries after a refused action, want 1", n)
	}
	if _, err := s.Update(func(w *Writer) error { return w.AckOutbox(out[0].Seq) }); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.OutboxLen(); n != 0 {
		t.Fatalf("outbox has %d entries after ack", n)
	}
	// A delivered key is never queued again.
	var queued bool
	s.Update(func(w *Writer) (err error) {
		queued, err = w.Enqueue(OutboxAction, "act-1", []byte(`{}`), time.Now())
		return err
	})
	if queued {
		t.Fatal("a delivered key was queued again")
	}
	mustCheck(t, s)
}
