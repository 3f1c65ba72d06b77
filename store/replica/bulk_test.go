package replica

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/hub"
)

// A one-pass sync into an empty store with BulkLoad: the store ends as
// the hub's (export and check), no longer in a bulk load; a second pull
// into the now full store is a normal one.
func TestBulkSyncCopiesTheHub(t *testing.T) {
	hubSt := hubStore(t, 5000)
	srv := serveHub(t, hubSt, hub.Options{}, nil)
	local := openStore(t, "local.db")
	c, _ := newClient(t, local, srv.URL, Options{BulkLoad: true})
	sub := local.Subscribe()
	defer sub.Cancel()
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if in, _ := local.InBulkLoad(); in {
		t.Fatal("still in a bulk load after the sync")
	}
	sameStores(t, hubSt, local)
	select {
	case <-sub.C:
		if ch := sub.Take(); !ch.More {
			t.Fatalf("the change told after a bulk sync: %+v", ch)
		}
	default:
		t.Fatal("no change told after a bulk sync")
	}
	if st := c.Status(); st.Records != 5000 || st.CaughtUpAt.IsZero() {
		t.Fatalf("status after a bulk sync: %+v", st)
	}
}

// A bulk sync stopped midway (Ctrl-C: its context ends) keeps every page
// it committed with its cursor; the store says it is unfinished to a
// reader, the next writable open builds it, and the next sync resumes
// after the last committed page and ends with the hub's records.
func TestBulkSyncInterruptedResumes(t *testing.T) {
	hubSt := hubStore(t, 5000)
	srv := serveHub(t, hubSt, hub.Options{}, nil)
	path := filepath.Join(t.TempDir(), "local.db")
	local, err := store.Open(path, store.Options{Create: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pages := 0
	c, _ := newClient(t, local, srv.URL, Options{BulkLoad: true, Progress: func(Status) {
		if pages++; pages == 3 {
			cancel()
		}
	}})
	if err := c.SyncOnce(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("a sync whose context ended: %v", err)
	}
	if in, _ := local.InBulkLoad(); !in {
		t.Fatal("an interrupted bulk sync built its store on the way out")
	}
	seq, _ := local.Seq()
	cursor, _ := ReadCursor(local)
	if seq == 0 || seq >= 5000 || cursor == "" {
		t.Fatalf("after the interruption: seq %d, cursor %q", seq, cursor)
	}
	local.Close()

	if _, err := store.Open(path, store.Options{ReadOnly: true}); !errors.Is(err, store.ErrBulkLoadUnfinished) {
		t.Fatalf("read-only open of an interrupted bulk sync: %v", err)
	}
	local, err = store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	if in, _ := local.InBulkLoad(); in {
		t.Fatal("a writable open did not finish the bulk load")
	}
	if rep, err := local.Check(); err != nil || !rep.OK() {
		t.Fatalf("check of the built store: %v %v", rep, err)
	}
	if after, _ := ReadCursor(local); after != cursor {
		t.Fatalf("the cursor moved from %q to %q on open", cursor, after)
	}
	c, _ = newClient(t, local, srv.URL, Options{BulkLoad: true})
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	sameStores(t, hubSt, local)
	if end, _ := local.Seq(); end != 5000 {
		t.Fatalf("store sequence %d after resuming: records were pulled twice or missed", end)
	}
}

// A bulk sync that fails (a page the remote keeps cutting short) builds
// what it committed before returning the error: the store is whole, and
// the next sync resumes normally.
func TestBulkSyncFailingBuildsWhatItPulled(t *testing.T) {
	hubSt := hubStore(t, 3000)
	wrap := fault(3, func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		rec := capture(next, r)
		w.Write(rec.body[:len(rec.body)-40])
	})
	srv := serveHub(t, hubSt, hub.Options{}, wrap)
	local := openStore(t, "local.db")
	c, _ := newClient(t, local, srv.URL, Options{BulkLoad: true, Attempts: 1, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond})
	if err := c.SyncOnce(context.Background()); err == nil {
		t.Fatal("sync of an invalid page succeeded")
	}
	if in, _ := local.InBulkLoad(); in {
		t.Fatal("a failed bulk sync left its store unbuilt")
	}
	if seq, _ := local.Seq(); seq != 1400 {
		t.Fatalf("store holds %d records after two pages of 700", seq)
	}
	if rep, err := local.Check(); err != nil || !rep.OK() {
		t.Fatalf("check: %v %v", rep, err)
	}
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	sameStores(t, hubSt, local)
}
