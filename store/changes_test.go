package store

import (
	"math/rand/v2"
	"testing"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
)

func TestChangesFollowCommitOrder(t *testing.T) {
	s := openTemp(t)
	rng := rand.New(rand.NewPCG(1, 2))
	var recs []model.Record
	for i := 0; i < 10; i++ {
		recs = append(recs, model.Record{Ticket: randomTicket(rng, i)})
	}
	if _, err := s.Write(recs); err != nil {
		t.Fatal(err)
	}
	lines, last, more, err := s.Changes(0, 4)
	if err != nil || len(lines) != 4 || last != 4 || !more {
		t.Fatalf("first page: %d lines, last %d, more %v, %v", len(lines), last, more, err)
	}
	if string(lines[0]) != string(model.AppendRecord(nil, recs[0])) {
		t.Fatalf("page does not carry the stored JSON: %s", lines[0])
	}
	// An update moves the record to the end of the log, once.
	changed := recs[1].Ticket.Clone()
	changed.Subject = "updated"
	if _, err := s.Write([]model.Record{{Ticket: changed}}); err != nil {
		t.Fatal(err)
	}
	lines, last, more, err = s.Changes(4, 100)
	if err != nil || len(lines) != 7 || last != 11 || more {
		t.Fatalf("rest: %d lines, last %d, more %v, %v", len(lines), last, more, err)
	}
	if r, _ := model.ParseRecord(lines[6]); r.Ticket == nil || r.Ticket.Subject != "updated" {
		t.Fatalf("the update is not last: %s", lines[6])
	}
	// Nothing after the end; the cursor stays where it was.
	if lines, last, more, _ := s.Changes(11, 10); len(lines) != 0 || last != 11 || more {
		t.Fatalf("past the end: %d lines, last %d, more %v", len(lines), last, more)
	}
}

func TestStoreIDIsStableAndDistinct(t *testing.T) {
	a, b := openTemp(t), openTemp(t)
	id1, err := a.ID()
	if err != nil || len(id1) != 16 {
		t.Fatalf("id %q, %v", id1, err)
	}
	if id2, _ := a.ID(); id2 != id1 {
		t.Fatalf("id changed: %q → %q", id1, id2)
	}
	if other, _ := b.ID(); other == id1 {
		t.Fatal("two stores share an id")
	}
	path := a.Path()
	a.Close()
	again, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if id, _ := again.ID(); id != id1 {
		t.Fatalf("id after reopening: %q, want %q", id, id1)
	}
}

// TestChangeSaysWhenAlertsWereWritten: a batch that writes an alert says
// so, one that writes only records or meta does not, and merged changes
// keep it.
func TestChangeSaysWhenAlertsWereWritten(t *testing.T) {
	s := openTemp(t)
	sub := s.Subscribe()
	defer sub.Cancel()
	rng := rand.New(rand.NewPCG(3, 4))
	if _, err := s.Write([]model.Record{{Ticket: randomTicket(rng, 1)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(func(w *Writer) error { return w.PutMeta("test/x", []byte("1")) }); err != nil {
		t.Fatal(err)
	}
	<-sub.C
	if c := sub.Take(); c.Alerts {
		t.Fatalf("records and meta only, yet the change says alerts: %+v", c)
	}
	if _, err := s.Update(func(w *Writer) error {
		return w.PutAlert(alert.Alert{Key: "k", Rule: "r", State: alert.Firing})
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write([]model.Record{{Ticket: randomTicket(rng, 2)}}); err != nil {
		t.Fatal(err)
	}
	<-sub.C
	if c := sub.Take(); !c.Alerts {
		t.Fatalf("an alert was written, but the merged change does not say so: %+v", c)
	}
}
