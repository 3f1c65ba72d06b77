package replica

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cxtop/cxtop/store/hub"
	"github.com/cxtop/cxtop/store/internal/fake"
)

func TestSyncOnceCopiesTheHub(t *testing.T) {
	hubSt := hubStore(t, 5000)
	srv := serveHub(t, hubSt, hub.Options{}, nil)
	local := openStore(t, "local.db")
	c, _ := newClient(t, local, srv.URL, Options{})
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	sameStores(t, hubSt, local)
	st := c.Status()
	if st.Records != 5000 || st.CaughtUpAt.IsZero() || st.LastError != "" {
		t.Fatalf("status after a full sync: %+v", st)
	}
	stored, err := ReadStatus(local)
	if err != nil || stored.Records != 5000 {
		t.Fatalf("stored status %+v, %v", stored, err)
	}

	// New records on the hub arrive with the next sync; nothing else moves.
	seq, _ := local.Seq()
	if _, err := hubSt.Write(fake.Records(1, 5000, 300)); err != nil {
		t.Fatal(err)
	}
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	sameStores(t, hubSt, local)
	if after, _ := local.Seq(); after != seq+300 {
		t.Fatalf("store sequence moved from %d to %d for 300 new records", seq, after)
	}
}

// fault answers the n-th request (counting from 1) of the changes endpoint
// with bad, and passes the others to the hub.
func fault(nth int, bad func(w http.ResponseWriter, r *http.Request, next http.Handler)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		var n atomic.Int32
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/changes" && int(n.Add(1)) == nth {
				bad(w, r, next)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// recorder captures a hub answer so a fault can mangle it.
type recorder struct {
	header http.Header
	status int
	body   []byte
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(s int)           { r.status = s }
func (r *recorder) Write(b []byte) (int, error) { r.body = append(r.body, b...); return len(b), nil }

func capture(next http.Handler, req *http.Request) *recorder {
	rec := &recorder{header: http.Header{}, status: 200}
	next.ServeHTTP(rec, req)
	return rec
}

func TestSyncSurvivesRemoteFaults(t *testing.T) {
	cases := []struct {
		name      string
		bad       func(w http.ResponseWriter, r *http.Request, next http.Handler)
		wantSleep time.Duration // an exact wait the client must honour, 0: any backoff
	}{
		{"429 with Retry-After", func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
			w.Header().Set("Retry-After", "7")
			http.Error(w, `{"error":"slow down"}`, http.StatusTooManyRequests)
		}, 7 * time.Second},
		{"500", func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
			http.Error(w, `{"error":"boom"}`, http.StatusInternalServerError)
		}, 0},
		{"503 with Retry-After", func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
			w.Header().Set("Retry-After", "3")
			http.Error(w, "maintenance", http.StatusServiceUnavailable)
		}, 3 * time.Second},
		{"dropped connection", func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
			// Cut the connection in the middle of the answer (a drop before
			// any answer is retried by net/http itself).
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err == nil {
				buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"records\":[")
				buf.Flush()
				conn.Close()
			}
		}, 0},
		{"truncated JSON", func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			rec := capture(next, r)
			w.Header().Set("Content-Type", "application/json")
			w.Write(rec.body[:len(rec.body)/2])
		}, 0},
		{"same page twice", func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			// Answer as if the client had asked from the beginning again.
			q := r.URL.Query()
			q.Del("cursor")
			r.URL.RawQuery = q.Encode()
			next.ServeHTTP(w, r)
		}, 0},
	}
	hubSt := hubStore(t, 3000)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := serveHub(t, hubSt, hub.Options{}, fault(3, tc.bad))
			local := openStore(t, "local.db")
			c, sl := newClient(t, local, srv.URL, Options{MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond})
			if err := c.SyncOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			sameStores(t, hubSt, local)
			waits := sl.all()
			if tc.name == "same page twice" {
				if len(waits) != 0 {
					t.Fatalf("a repeated page is not an error, yet the client waited %v", waits)
				}
				return
			}
			if len(waits) != 1 {
				t.Fatalf("waits %v, want one retry", waits)
			}
			if tc.wantSleep != 0 && waits[0] != tc.wantSleep {
				t.Fatalf("waited %v, want the remote's Retry-After %v", waits[0], tc.wantSleep)
			}
			if tc.wantSleep == 0 && waits[0] > 4*time.Millisecond {
				t.Fatalf("waited %v, more than MaxBackoff", waits[0])
			}
		})
	}
}

func TestSyncGivesUpClearlyAndResumes(t *testing.T) {
	hubSt := hubStore(t, 3000)
	var broken atomic.Bool
	broken.Store(true)
	// The third page is always cut short while broken.
	wrap := func(next http.Handler) http.Handler {
		var n atomic.Int32
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/changes" && n.Add(1) >= 3 && broken.Load() {
				rec := capture(next, r)
				w.Write(rec.body[:len(rec.body)-40])
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	srv := serveHub(t, hubSt, hub.Options{}, wrap)
	local := openStore(t, "local.db")
	c, sl := newClient(t, local, srv.URL, Options{Attempts: 3, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond})
	err := c.SyncOnce(context.Background())
	if err == nil {
		t.Fatal("sync of an invalid page succeeded")
	}
	for _, want := range []string{"malformed page", "not valid JSON", "gave up after 3 attempts"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if len(sl.all()) != 2 {
		t.Errorf("waits %v, want 2 retries", sl.all())
	}
	// Nothing of the bad page was applied: exactly the two good pages.
	if seq, _ := local.Seq(); seq != 1400 {
		t.Fatalf("store holds %d records after two pages of 700", seq)
	}
	if st := c.Status(); !strings.Contains(st.LastError, "not valid JSON") {
		t.Fatalf("status does not report the error: %+v", st)
	}
	broken.Store(false)
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	sameStores(t, hubSt, local)
	if st := c.Status(); st.LastError != "" {
		t.Fatalf("error not cleared after success: %q", st.LastError)
	}
}

func TestSyncGivesUpOn500(t *testing.T) {
	srv := serveHub(t, hubStore(t, 10), hub.Options{}, func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, `{"error":"database on fire"}`, http.StatusInternalServerError)
		})
	})
	c, _ := newClient(t, openStore(t, "local.db"), srv.URL, Options{Attempts: 4, MinBackoff: time.Millisecond})
	err := c.SyncOnce(context.Background())
	if err == nil || !strings.Contains(err.Error(), "HTTP 500: database on fire") || !strings.Contains(err.Error(), "gave up after 4 attempts") {
		t.Fatalf("error %v", err)
	}
}

func TestSyncStopsAtOnceOnBadToken(t *testing.T) {
	srv := serveHub(t, hubStore(t, 10), hub.Options{Token: "s3cret"}, nil)
	r, _ := NewHubRemote(srv.URL, "xyzzy", time.Second)
	sl := &sleeps{}
	c := New(openStore(t, "local.db"), r, Options{Sleep: sl.sleep})
	err := c.SyncOnce(context.Background())
	if err == nil || !strings.Contains(err.Error(), "HTTP 401") || strings.Contains(err.Error(), "xyzzy") {
		t.Fatalf("error %v (must say 401 and never show the token)", err)
	}
	if len(sl.all()) != 0 {
		t.Fatalf("retried a 401: %v", sl.all())
	}
	good, _ := NewHubRemote(srv.URL, "s3cret", time.Second)
	local := openStore(t, "local2.db")
	if err := New(local, good, Options{}).SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestSyncRestartsOnExpiredCursor(t *testing.T) {
	first := hubStore(t, 2000)
	srv1 := serveHub(t, first, hub.Options{}, nil)
	local := openStore(t, "local.db")
	c, _ := newClient(t, local, srv1.URL, Options{})
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The hub is recreated on a new store holding the same records and more:
	// the stored cursor names the old store.
	second := hubStore(t, 2500)
	srv2 := serveHub(t, second, hub.Options{}, nil)
	var logged []string
	r, _ := NewHubRemote(srv2.URL, "", time.Second)
	c2 := New(local, r, Options{PageSize: 700, Logf: func(f string, a ...any) { logged = append(logged, f) }})
	seq, _ := local.Seq()
	if err := c2.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	sameStores(t, second, local)
	if after, _ := local.Seq(); after != seq+500 {
		t.Fatalf("restart rewrote records: sequence %d → %d for 500 new ones", seq, after)
	}
	if !strings.Contains(strings.Join(logged, "\n"), "starting again from the beginning") {
		t.Fatalf("the restart was not reported: %q", logged)
	}
}
