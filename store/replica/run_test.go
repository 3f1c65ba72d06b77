package replica

import (
	"context"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store/hub"
)

// TestRunPushesALocalActionAtOnce runs the loop with an hour's interval:
// the first sync happens at once, and a local triage action wakes the loop
// and reaches the hub without waiting for the interval.
func TestRunPushesALocalActionAtOnce(t *testing.T) {
	hubSt := hubStore(t, 200)
	srv := serveHub(t, hubSt, hub.Options{}, nil)
	local := openStore(t, "local.db")
	pages := make(chan Status, 100)
	c, _ := newClient(t, local, srv.URL, Options{Interval: time.Hour, Progress: func(s Status) { pages <- s }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	deadline := time.After(20 * time.Second) // a failure bound, not a wait
	for caughtUp := false; !caughtUp; {
		select {
		case s := <-pages:
			caughtUp = s.Records == 200 && !s.CaughtUpAt.IsZero()
		case <-deadline:
			t.Fatal("the first sync did not finish")
		}
	}
	hubSub := hubSt.Subscribe()
	defer hubSub.Cancel()
	tk, _ := local.Ticket("T00000004")
	tx := tax()
	a := model.Action{ID: "run-1", TicketID: tk.ID, BaseVersion: tk.Version, Kind: model.ActionNote, Note: "called the customer",
		By: "lead", At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	if _, err := local.ApplyAction(&tx, a); err != nil {
		t.Fatal(err)
	}
	for {
		select {
		case <-hubSub.C:
			hubSub.Take()
			if got, _ := hubSt.Ticket(tk.ID); got.Version == tk.Version+1 {
				cancel()
				if err := <-done; err != nil {
					t.Fatal(err)
				}
				return
			}
		case <-deadline:
			t.Fatal("the local action did not reach the hub")
		}
	}
}
