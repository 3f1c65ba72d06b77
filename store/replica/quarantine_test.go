package replica

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store/hub"
)

// One bad record in a hub page is quarantined; the rest of the page lands,
// the cursor moves on, the status counts it, and a retry after an upgrade
// (here: a taxonomy that knows the source) applies it.
func TestBadHubRecordIsQuarantinedAndRetried(t *testing.T) {
	hubSt := hubStore(t, 3000)
	var n atomic.Int32
	wrap := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/v1/changes" {
				next.ServeHTTP(w, r)
				return
			}
			rec := capture(next, r)
			body := string(rec.body)
			switch n.Add(1) {
			case 2: // a value the taxonomy does not know
				body = strings.Replace(body, `"source":"`, `"source":"pigeon_`, 1)
			case 3: // a record that does not parse at all
				body = strings.Replace(body, `"created_at":"`, `"created_at":"yesterday`, 1)
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(body))
		})
	}
	srv := serveHub(t, hubSt, hub.Options{}, wrap)
	local := openStore(t, "local.db")
	c, sl := newClient(t, local, srv.URL, Options{MinBackoff: time.Millisecond})
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(sl.all()) != 0 {
		t.Fatalf("a bad record was retried: %v", sl.all())
	}
	if seq, _ := local.Seq(); seq != 2998 {
		t.Fatalf("store holds %d records, want all but the 2 bad ones", seq)
	}
	st := c.Status()
	if st.Quarantined != 2 || st.QuarantinedTotal != 2 {
		t.Fatalf("status %+v, want 2 quarantined", st)
	}
	if rs, _ := ReadStatus(local); rs.Quarantined != 2 {
		t.Fatalf("stored status says %d quarantined", rs.Quarantined)
	}
	list, _ := local.QuarantineList(0)
	var reasons []string
	for _, q := range list {
		reasons = append(reasons, q.Reason)
		if len(q.Raw) == 0 || q.ID == "" || q.Kind != model.RecordTicket {
			t.Errorf("entry %+v lacks its raw record or name", q)
		}
	}
	if all := strings.Join(reasons, "\n"); !strings.Contains(all, "pigeon_") || !strings.Contains(all, "created_at") {
		t.Fatalf("reasons %q", all)
	}
	if rep, _ := local.Check(); !rep.OK() {
		t.Fatal(rep)
	}
	// A retry with the same understanding keeps both.
	if res, err := c.RetryQuarantine(); err != nil || res.Applied != 0 || res.Left != 2 {
		t.Fatalf("retry: %+v %v", res, err)
	}
	// After the "upgrade": the source is known, so that record lands.
	tax := model.DefaultTaxonomy()
	for _, q := range list {
		if strings.Contains(q.Reason, "pigeon_") {
			var r model.Record
			r, _ = model.ParseRecord(q.Raw)
			tax.Sources = append(tax.Sources, r.Ticket.Source)
		}
	}
	r2, _ := NewHubRemote(srv.URL, "", time.Second)
	c2 := New(local, r2, Options{Taxonomy: tax})
	if res, err := c2.RetryQuarantine(); err != nil || res.Applied != 1 || res.Left != 1 {
		t.Fatalf("retry after upgrade: %+v %v", res, err)
	}
	if rs, _ := ReadStatus(local); rs.Quarantined != 1 {
		t.Fatalf("%d left quarantined", rs.Quarantined)
	}
	if rep, _ := local.Check(); !rep.OK() {
		t.Fatal(rep)
	}
}
