package replica

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
)

// zendeskFixture serves the recorded pages the way Zendesk does: the first
// request with start_time, the next ones with the previous after_cursor.
// The first request is refused with 429 and Retry-After, as Zendesk's rate
// limit does.
func zendeskFixture(t *testing.T, wantAuth string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	page := func(name string) []byte {
		b, err := os.ReadFile("testdata/zendesk/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if r.URL.Path != "/api/v2/incremental/tickets/cursor.json" {
			http.Error(w, `{"error":"InvalidEndpoint"}`, http.StatusNotFound)
			return
		}
		if r.Header.Get("Authorization") != wantAuth {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":"Couldn't authenticate you"}`))
			return
		}
		if n == 1 {
			w.Header().Set("Retry-After", "60")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		q := r.URL.Query()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case q.Get("start_time") == "1790000000" && q.Get("cursor") == "":
			w.Write(page("page1.json"))
		case q.Get("cursor") == "MTU3NjYxMzUzOS4wfHw0Njd8":
			w.Write(page("page2.json"))
		case q.Get("cursor") == "MTU3NjYxMzk4Ny4wfHw0Njl8":
			w.Write(page("empty.json"))
		default:
			t.Errorf("unexpected request %s", r.URL)
			http.Error(w, `{"error":"bad cursor"}`, http.StatusBadRequest)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestZendeskExportMapsTicketsAndRatings(t *testing.T) {
	token := "jdoe@example.com/token:6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv"
	srv, calls := zendeskFixture(t, "Basic "+base64.StdEncoding.EncodeToString([]byte(token)))
	z, err := NewZendeskRemote(srv.URL, token, 1790000000, model.DefaultTaxonomy(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	local := openStore(t, "local.db")
	sl := &sleeps{}
	c := New(local, z, Options{Source: "zendesk", Sleep: sl.sleep, Logf: t.Logf})
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if w := sl.all(); len(w) != 1 || w[0] != time.Minute {
		t.Fatalf("waits %v, want Zendesk's Retry-After of 60s", w)
	}
	for _, tc := range []struct {
		id, status, typ, sub, source, prio string
	}{
		{"zd-35436", model.StatusDone, "complaint", "late_delivery", "email", "high"},
		{"zd-35437", model.StatusNew, "information_request", "", "web_form", "normal"},
		{"zd-35438", model.StatusInProgress, "technical_support", "", "mobile_app", "urgent"},
	} {
		tk, err := local.Ticket(tc.id)
		if err != nil {
			t.Fatal(err)
		}
		if tk.Status != tc.status || tk.Type != tc.typ || tk.SubType != tc.sub || tk.Source != tc.source || tk.Priority != tc.prio {
			t.Errorf("%s: %s %s/%s %s %s, want %+v", tc.id, tk.Status, tk.Type, tk.SubType, tk.Source, tk.Priority, tc)
		}
	}
	if _, err := local.Ticket("zd-35401"); err == nil {
		t.Errorf("a ticket exported as deleted is in the store")
	}
	good, _ := local.FeedbackForTicket("zd-35436")
	bad, _ := local.FeedbackForTicket("zd-35438")
	none, _ := local.FeedbackForTicket("zd-35437")
	if len(good) != 1 || good[0].Score != 5 || good[0].Survey != model.SurveyCSAT || len(bad) != 1 || bad[0].Score != 1 || len(none) != 0 {
		t.Fatalf("ratings: good %+v bad %+v unoffered %+v", good, bad, none)
	}
	cur, _ := ReadCursor(local)
	if cur != "MTU3NjYxMzk4Ny4wfHw0Njl8" {
		t.Fatalf("cursor %q, want the last after_cursor", cur)
	}
	// The next poll resumes from the stored cursor and finds nothing new.
	before, _ := local.Seq()
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if after, _ := local.Seq(); after != before || calls.Load() != 4 {
		t.Fatalf("second poll: seq %d → %d, %d requests", before, after, calls.Load())
	}
	if rep, _ := local.Check(); !rep.OK() {
		t.Fatal(rep)
	}
}

func TestZendeskOAuthBearerAndBadToken(t *testing.T) {
	srv, _ := zendeskFixture(t, "Bearer oauth-abc")
	z, _ := NewZendeskRemote(srv.URL, "oauth-abc", 1790000000, model.DefaultTaxonomy(), time.Second)
	sl := &sleeps{}
	if err := New(openStore(t, "a.db"), z, Options{Sleep: sl.sleep}).SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv2, _ := zendeskFixture(t, "Bearer right")
	z2, _ := NewZendeskRemote(srv2.URL, "wrong-oauth", 1790000000, model.DefaultTaxonomy(), time.Second)
	err := New(openStore(t, "b.db"), z2, Options{Sleep: sl.sleep}).SyncOnce(context.Background())
	if err == nil || !strings.Contains(err.Error(), "HTTP 401: Couldn't authenticate you") || strings.Contains(err.Error(), "wrong-oauth") {
		t.Fatalf("error %v", err)
	}
}
