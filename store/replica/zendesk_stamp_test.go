package replica

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/replica/zdfake"
)

// dieAfterPushes is a remote whose process dies after n pushes: the
// context of its sync ends, the rest of the outbox stays queued.
type dieAfterPushes struct {
	Remote
	n    int
	kill context.CancelFunc
}

func (d *dieAfterPushes) Push(ctx context.Context, a model.Action) (*PushResult, error) {
	if d.n == 0 {
		d.kill()
		return nil, context.Canceled
	}
	d.n--
	return d.Remote.Push(ctx, a)
}

// Zendesk's updated_stamp chain survives a restart. A lead queues two
// actions on one ticket, both on the version they saw; the process pushes
// the first, pulls, and dies before pushing the second. The next process
// sends the second with the stamp the first one produced (kept in the
// store with the pushed action's acknowledgement), so it applies instead
// of meeting a 409 against our own change; an action taken after the
// restart is based on that stamp too.
func TestZendeskStampChainSurvivesRestart(t *testing.T) {
	fake := zdfake.New(zdStart)
	fake.Group(1, "Billing")
	fake.Group(2, "Logistics")
	fake.Put(zdfake.Ticket{"id": 401, "status": "new", "priority": "normal", "group_id": 1, "requester_id": 9, "tags": []any{}})
	path := filepath.Join(t.TempDir(), "zd.db")
	st, err := store.Open(path, store.Options{Create: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	c1, _ := zdClient(t, fake, st)
	if err := c1.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	tax := model.DefaultTaxonomy()
	at := zdStart.Add(time.Hour)
	tk, _ := st.Ticket("zd-401")
	seen := tk.SourceStamp
	tk, err = st.ApplyAction(&tax, model.Action{ID: "s1", TicketID: tk.ID, BaseVersion: tk.Version, Kind: model.ActionAssign, Department: "Logistics", By: "lead", At: at})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ApplyAction(&tax, model.Action{ID: "s2", TicketID: tk.ID, BaseVersion: tk.Version, Kind: model.ActionNote, Note: "called the carrier", By: "lead", At: at}); err != nil {
		t.Fatal(err)
	}

	// Process 1: pushes s1, pulls, dies before pushing s2.
	ctx, kill := context.WithCancel(context.Background())
	c1.remote = &dieAfterPushes{Remote: c1.remote, n: 1, kill: kill}
	if err := c1.SyncOnce(ctx); err == nil {
		t.Fatal("the dying process synced")
	}
	if fake.Puts != 1 {
		t.Fatalf("%d updates reached Zendesk before the process died, want 1", fake.Puts)
	}
	after := fake.Get(401)["updated_at"].(string)
	if after == seen {
		t.Fatal("the fake did not move updated_at")
	}
	if local, _ := st.Ticket("zd-401"); local.SourceStamp != after {
		t.Fatalf("the local ticket's stamp is %q after the push, want Zendesk's new %q", local.SourceStamp, after)
	}
	if err := c1.pull(context.Background()); err != nil {
		t.Fatal(err)
	}
	st.Close()

	// Process 2, on the reopened store, with no memory of process 1.
	st2, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	entries, _ := st2.Outbox(10)
	var queued model.Action
	if len(entries) != 1 || json.Unmarshal(entries[0].Payload, &queued) != nil || queued.ID != "s2" || queued.BaseStamp != after {
		t.Fatalf("queued after the restart: %d entries, %+v; want s2 based on %q", len(entries), queued, after)
	}
	c2, _ := zdClient(t, fake, st2)
	if err := c2.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s := c2.Status(); s.Conflicts != 0 || s.Pushed != 2 || s.Pending != 0 {
		t.Fatalf("after the restart: %+v (the second action was refused as a conflict with our own first)", s)
	}
	if fake.Conflicts != 0 {
		t.Fatalf("Zendesk refused %d updates", fake.Conflicts)
	}
	if cm := fake.Comments(401); len(cm) != 1 || !strings.HasPrefix(cm[0], "called the carrier") {
		t.Fatalf("comments %q", cm)
	}
	// An action taken now is based on the stamp of the last pull.
	tk, _ = st2.Ticket("zd-401")
	if tk.SourceStamp != fake.Get(401)["updated_at"] {
		t.Fatalf("local stamp %q, Zendesk's %v", tk.SourceStamp, fake.Get(401)["updated_at"])
	}
	if _, err := st2.ApplyAction(&tax, model.Action{ID: "s3", TicketID: tk.ID, BaseVersion: tk.Version, Kind: model.ActionPriority, Priority: model.PriorityHigh, By: "lead", At: at}); err != nil {
		t.Fatal(err)
	}
	c3, _ := zdClient(t, fake, st2)
	if err := c3.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s := c3.Status(); s.Conflicts != 0 || s.Pushed != 3 || fake.Get(401)["priority"] != "high" {
		t.Fatalf("the action after the restart: %+v, priority %v", s, fake.Get(401)["priority"])
	}
	if rep, _ := st2.Check(); !rep.OK() {
		t.Fatal(rep)
	}
}

// A queued action based on a version someone else changed keeps its
// stamp: our own push on the same ticket does not hide their change.
func TestAdvanceStampLeavesOtherBasesAlone(t *testing.T) {
	_, st, c := zdSynced(t, 402)
	tax := model.DefaultTaxonomy()
	tk, _ := st.Ticket("zd-402")
	tk, err := st.ApplyAction(&tax, model.Action{ID: "o1", TicketID: tk.ID, BaseVersion: tk.Version, Kind: model.ActionPriority, Priority: model.PriorityLow, By: "lead", At: zdStart})
	if err != nil {
		t.Fatal(err)
	}
	// o2 was taken on a version of 402 that Zendesk has since replaced.
	if _, err := st.ApplyAction(&tax, model.Action{ID: "o2", TicketID: tk.ID, BaseVersion: tk.Version, BaseStamp: "2001-01-01T00:00:00Z", Kind: model.ActionEscalate, By: "lead", At: zdStart}); err != nil {
		t.Fatal(err)
	}
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	// o1 on the version we pulled: applied; o2 stays stale: a conflict.
	if s := c.Status(); s.Conflicts != 1 || s.Pushed != 1 {
		t.Fatalf("status %+v", s)
	}
}
