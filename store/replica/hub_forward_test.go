package replica

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store/hub"
	"github.com/cxtop/cxtop/store/replica/zdfake"
)

// A console's triage reaches Zendesk through a hub that replicates it
// (cxtop hub --source zendesk): the hub applies it, queues it, and its
// Zendesk client pushes it with the stamp the console saw; a stale one
// comes back as Zendesk's version with the conflict in its history.
func TestHubForwardsTriageToZendesk(t *testing.T) {
	fake := zdfake.New(zdStart)
	fake.Put(zdfake.Ticket{"id": 501, "status": "new", "priority": "normal", "requester_id": 9, "tags": []any{}})
	fake.Put(zdfake.Ticket{"id": 502, "status": "open", "priority": "normal", "requester_id": 9, "tags": []any{}})
	hubSt := openStore(t, "hub.db")
	up, _ := zdClient(t, fake, hubSt)
	if err := up.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	h, err := hub.New(hubSt, hub.Options{Forward: true, Forwarded: up.Kick})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h.Handler())
	defer srv.Close()
	console := openStore(t, "console.db")
	c, _ := newClient(t, console, srv.URL, Options{})
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	tax := model.DefaultTaxonomy()
	at := time.Now().UTC()
	t1, _ := console.Ticket("zd-501")
	if t1.SourceStamp == "" {
		t.Fatal("the hub's ticket lost Zendesk's stamp on the way")
	}
	if _, err := console.ApplyAction(&tax, model.Action{ID: "c1", TicketID: t1.ID, BaseVersion: t1.Version, Kind: model.ActionPriority, Priority: model.PriorityUrgent, By: "lead", At: at}); err != nil {
		t.Fatal(err)
	}
	t2, _ := console.Ticket("zd-502")
	fake.Change(502, map[string]any{"status": "pending"}) // an agent in Zendesk, meanwhile
	if _, err := console.ApplyAction(&tax, model.Action{ID: "c2", TicketID: t2.ID, BaseVersion: t2.Version, Kind: model.ActionStatus, Status: model.StatusDone, By: "lead", At: at}); err != nil {
		t.Fatal(err)
	}
	if err := c.SyncOnce(context.Background()); err != nil { // console → hub
		t.Fatal(err)
	}
	if err := up.SyncOnce(context.Background()); err != nil { // hub → Zendesk, and back
		t.Fatal(err)
	}
	if g := fake.Get(501); g["priority"] != "urgent" {
		t.Fatalf("Zendesk ticket 501 priority %v", g["priority"])
	}
	if g := fake.Get(502); g["status"] != "pending" {
		t.Fatalf("the stale action reached Zendesk: %v", g["status"])
	}
	if s := up.Status(); s.Pushed != 1 || s.Conflicts != 1 {
		t.Fatalf("hub's Zendesk status %+v", s)
	}
	if err := c.SyncOnce(context.Background()); err != nil { // hub → console
		t.Fatal(err)
	}
	got, _ := console.Ticket("zd-502")
	if got.Status != model.StatusInProgress || !slices.ContainsFunc(got.History, func(h model.Change) bool { return h.Field == "conflict" }) {
		t.Fatalf("the console's ticket after the conflict: %s %+v", got.Status, got.History)
	}
}
