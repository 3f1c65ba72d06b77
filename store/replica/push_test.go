package replica

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/hub"
)

func action(id, ticket string, base uint64, status string) model.Action {
	return model.Action{ID: id, TicketID: ticket, BaseVersion: base, Kind: model.ActionStatus, Status: status,
		By: "lead", At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
}

func TestTriageActionReachesTheHub(t *testing.T) {
	hubSt := hubStore(t, 400)
	srv := serveHub(t, hubSt, hub.Options{}, nil)
	local := openStore(t, "local.db")
	c, _ := newClient(t, local, srv.URL, Options{})
	ctx := context.Background()
	if err := c.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	tk, err := local.Ticket("T00000000")
	if err != nil {
		t.Fatal(err)
	}
	tx := tax()
	want := model.StatusInProgress
	if tk.Status == want {
		want = model.StatusNew
	}
	if _, err := local.ApplyAction(&tx, action("act-1", tk.ID, tk.Version, want)); err != nil {
		t.Fatal(err)
	}
	if c.Status().Pending != 1 {
		t.Fatalf("pending %d, want 1", c.Status().Pending)
	}
	if err := c.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	onHub, err := hubSt.Ticket(tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if onHub.Status != want || onHub.Version != tk.Version+1 {
		t.Fatalf("hub ticket status %q v%d, want %q v%d", onHub.Status, onHub.Version, want, tk.Version+1)
	}
	st := c.Status()
	if st.Pending != 0 || st.Pushed != 1 || st.Conflicts != 0 {
		t.Fatalf("status %+v", st)
	}
	sameStores(t, hubSt, local)
}

func TestConflictingActionIsShownNotLost(t *testing.T) {
	hubSt := hubStore(t, 400)
	srv := serveHub(t, hubSt, hub.Options{}, nil)
	local := openStore(t, "local.db")
	c, _ := newClient(t, local, srv.URL, Options{})
	ctx := context.Background()
	if err := c.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	tk, _ := local.Ticket("T00000001")
	tx := tax()
	// Someone else changes the ticket on the hub first.
	other := model.Action{ID: "other-1", TicketID: tk.ID, BaseVersion: tk.Version, Kind: model.ActionPriority, Priority: "urgent",
		By: "colleague", At: time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)}
	if tk.Priority == "urgent" {
		other.Priority = "low"
	}
	if _, err := hubSt.ApplyAction(&tx, other); err != nil {
		t.Fatal(err)
	}
	// The lead's change, based on the version they saw.
	mine := action("mine-1", tk.ID, tk.Version, model.StatusInProgress)
	if tk.Status == model.StatusInProgress {
		mine.Status = model.StatusNew
	}
	if _, err := local.ApplyAction(&tx, mine); err != nil {
		t.Fatal(err)
	}
	if err := c.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ := local.Ticket(tk.ID)
	if got.Priority != other.Priority || got.Status != tk.Status {
		t.Fatalf("the hub's version must win: local ticket priority %q status %q", got.Priority, got.Status)
	}
	last := got.History[len(got.History)-1]
	if last.Field != "conflict" || last.By != "anonymous/lead" || !strings.Contains(last.New, "mine-1") || !strings.Contains(last.New, "status → "+mine.Status) {
		t.Fatalf("the refused change is not in the history: %+v", last)
	}
	st := c.Status()
	if st.Conflicts != 1 || st.Pending != 0 || !strings.Contains(st.LastConflict, "mine-1") {
		t.Fatalf("status %+v", st)
	}
	sameStores(t, hubSt, local)
}

// TestActionBehindManyContactsIsPushed queues more contact requests than
// one outbox page holds before a triage action: the action still reaches
// the hub.
func TestActionBehindManyContactsIsPushed(t *testing.T) {
	hubSt := hubStore(t, 50)
	srv := serveHub(t, hubSt, hub.Options{}, nil)
	local := openStore(t, "local.db")
	c, _ := newClient(t, local, srv.URL, Options{})
	ctx := context.Background()
	if err := c.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	_, err := local.Update(func(w *store.Writer) error {
		for i := 0; i < 2*pushPage+7; i++ {
			if _, err := w.Enqueue(store.OutboxContact, fmt.Sprintf("contact-%d", i), []byte(`{}`), at); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tk, _ := local.Ticket("T00000000")
	want := model.StatusInProgress
	if tk.Status == want {
		want = model.StatusNew
	}
	tx := tax()
	if _, err := local.ApplyAction(&tx, action("act-behind", tk.ID, tk.Version, want)); err != nil {
		t.Fatal(err)
	}
	if err := c.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if onHub, _ := hubSt.Ticket(tk.ID); onHub.Status != want {
		t.Fatalf("the action behind %d contact requests did not reach the hub: status %q", 2*pushPage+7, onHub.Status)
	}
	if n, _ := local.OutboxLen(); n != 2*pushPage+7 {
		t.Fatalf("outbox holds %d entries, want the %d contact requests", n, 2*pushPage+7)
	}
}
