package replica

import (
	"context"
	"errors"
	"testing"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/hub"
)

var errStop = errors.New("stop")

// A record deleted on the hub leaves its replicas at their next pull.
func TestHubDeletionReachesReplicas(t *testing.T) {
	hubSt := hubStore(t, 1500)
	srv := serveHub(t, hubSt, hub.Options{}, nil)
	local := openStore(t, "local.db")
	c, _ := newClient(t, local, srv.URL, Options{})
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	var victims []store.Deleted
	for _, kind := range []string{model.RecordTicket, model.RecordFeedback, model.RecordEvent} {
		hubSt.ForEach(kind, func(r model.Record) error {
			victims = append(victims, store.Deleted{Kind: kind, ID: r.ID()})
			return errStop
		})
	}
	if _, err := hubSt.Update(func(w *store.Writer) error {
		for _, d := range victims {
			if ok, err := w.Delete(d.Kind, d.ID); err != nil || !ok {
				t.Fatalf("delete %+v: %v %v", d, ok, err)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	sameStores(t, hubSt, local)
	if st := c.Status(); st.Deleted != uint64(len(victims)) || len(victims) != 3 {
		t.Fatalf("status counts %d deletions of %d", st.Deleted, len(victims))
	}
}
