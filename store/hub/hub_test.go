package hub

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/internal/fake"
)

func newHub(t *testing.T, n int, opt Options) (*store.Store, *httptest.Server) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "hub.db"), store.Options{Create: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if n > 0 {
		if _, err := st.Write(fake.Records(1, 0, n)); err != nil {
			t.Fatal(err)
		}
	}
	h, err := New(st, opt)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(srv.Close)
	return st, srv
}

func call(t *testing.T, method, url, token, body string) (int, http.Header, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s %s: answer is not JSON: %q", method, url, data)
	}
	return resp.StatusCode, resp.Header, v
}

func TestChangesPagesInCommitOrder(t *testing.T) {
	st, srv := newHub(t, 25, Options{})
	id, _ := st.ID()
	if code, _, v := call(t, "GET", srv.URL+"/v1/changes?cursor="+id+".26", "", ""); code != http.StatusGone || v["code"] != "cursor_expired" {
		t.Fatalf("a cursor ahead of the store: %d %v", code, v)
	}
	seen := map[string]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		code, _, v := call(t, "GET", srv.URL+"/v1/changes?limit=10&cursor="+cursor, "", "")
		if code != 200 {
			t.Fatalf("status %d: %v", code, v)
		}
		for _, r := range v["records"].([]any) {
			seen[r.(map[string]any)["id"].(string)] = true
		}
		cursor = v["next_cursor"].(string)
		if !v["has_more"].(bool) {
			if pages != 2 {
				t.Fatalf("%d pages for 25 records of 10", pages+1)
			}
			break
		}
	}
	if len(seen) != 25 {
		t.Fatalf("saw %d records", len(seen))
	}
	// An updated record comes again after the cursor, once, as its new version.
	recs := fake.Records(1, 0, 1)
	recs[0].Ticket.Subject = "changed"
	if _, err := st.Write(recs); err != nil {
		t.Fatal(err)
	}
	_, _, v := call(t, "GET", srv.URL+"/v1/changes?cursor="+cursor, "", "")
	got := v["records"].([]any)
	if len(got) != 1 || got[0].(map[string]any)["subject"] != "changed" {
		t.Fatalf("after an update: %v", got)
	}
}

func TestChangesRefusesBadCursorsAndLimits(t *testing.T) {
	_, srv := newHub(t, 3, Options{})
	for _, tc := range []struct {
		query string
		code  int
		field string
	}{
		{"cursor=0123456789abcdef.2", http.StatusGone, "cursor"},
		{"cursor=garbage", http.StatusBadRequest, "cursor"},
		{"limit=0", http.StatusBadRequest, "limit"},
		{"limit=99999", http.StatusBadRequest, "limit"},
	} {
		code, _, v := call(t, "GET", srv.URL+"/v1/changes?"+tc.query, "", "")
		if code != tc.code || v["field"] != tc.field || v["error"] == "" {
			t.Errorf("%s: %d %v", tc.query, code, v)
		}
	}
}

func TestAuthAndRateLimit(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	_, srv := newHub(t, 3, Options{Token: "tok", Rate: 1, Burst: 2, Now: func() time.Time { return now }})
	if code, h, _ := call(t, "GET", srv.URL+"/v1/changes", "", ""); code != 401 || h.Get("WWW-Authenticate") == "" {
		t.Fatalf("no token: %d", code)
	}
	if code, _, _ := call(t, "GET", srv.URL+"/v1/changes", "nope", ""); code != 401 {
		t.Fatalf("wrong token: %d", code)
	}
	// The two refused requests spent no tokens: a burst of 2 passes.
	for i := 0; i < 2; i++ {
		if code, _, v := call(t, "GET", srv.URL+"/v1/changes", "tok", ""); code != 200 {
			t.Fatalf("request %d: %d %v", i, code, v)
		}
	}
	code, h, _ := call(t, "GET", srv.URL+"/v1/changes", "tok", "")
	if code != 429 || h.Get("Retry-After") != "1" {
		t.Fatalf("past the rate: %d Retry-After %q", code, h.Get("Retry-After"))
	}
	if code, _, _ := call(t, "GET", srv.URL+"/healthz", "", ""); code != 200 {
		t.Fatalf("healthz needs no token and no rate: %d", code)
	}
	now = now.Add(time.Second)
	if code, _, _ := call(t, "GET", srv.URL+"/v1/changes", "tok", ""); code != 200 {
		t.Fatalf("a second later: %d", code)
	}
}

func TestIngestValidatesAllOrNothing(t *testing.T) {
	st, srv := newHub(t, 0, Options{})
	good := string(model.AppendRecord(nil, fake.Records(1, 2, 1)[0])) // feedback
	bad := strings.Replace(string(model.AppendRecord(nil, fake.Records(1, 6, 1)[0])), `"score":`, `"score":9`, 1)
	code, _, v := call(t, "POST", srv.URL+"/v1/ingest", "", `{"records":[`+good+`,`+bad+`]}`)
	if code != 400 || v["index"] != 1.0 || v["id"] != "F00000006" || v["field"] != "score" {
		t.Fatalf("bad record: %d %v", code, v)
	}
	if seq, _ := st.Seq(); seq != 0 {
		t.Fatal("a refused request wrote records")
	}
	ticket := string(model.AppendRecord(nil, fake.Records(1, 0, 1)[0]))
	if code, _, v := call(t, "POST", srv.URL+"/v1/ingest", "", `{"records":[`+ticket+`]}`); code != 400 || v["field"] != "kind" {
		t.Fatalf("ticket: %d %v", code, v)
	}
	if code, _, v := call(t, "POST", srv.URL+"/v1/ingest", "", `{"records":[`+good); code != 400 {
		t.Fatalf("truncated: %d %v", code, v)
	}
	if code, _, v := call(t, "POST", srv.URL+"/v1/ingest", "", `{"records":[`+good+`]}`); code != 200 || v["inserted"] != 1.0 {
		t.Fatalf("good: %d %v", code, v)
	}
}

func TestActionsAreIdempotent(t *testing.T) {
	st, srv := newHub(t, 4, Options{})
	tk, _ := st.Ticket("T00000000")
	a := model.Action{ID: "k1", TicketID: tk.ID, BaseVersion: tk.Version, Kind: model.ActionNote, Note: "called back", By: "lead", At: time.Now().UTC()}
	body, _ := json.Marshal(a)
	code1, _, v1 := call(t, "POST", srv.URL+"/v1/actions", "", string(body))
	code2, _, v2 := call(t, "POST", srv.URL+"/v1/actions", "", string(body))
	if code1 != 200 || code2 != 200 || v1["ticket"].(map[string]any)["version"] != v2["ticket"].(map[string]any)["version"] {
		t.Fatalf("first %d %v, retry %d %v", code1, v1, code2, v2)
	}
	after, _ := st.Ticket(tk.ID)
	if after.Version != tk.Version+1 || len(after.History) != len(tk.History)+1 {
		t.Fatalf("applied twice: v%d, %d history entries", after.Version, len(after.History))
	}
	// A second action on the old version conflicts, and says so the same way twice.
	a.ID, a.Note = "k2", "stale"
	body, _ = json.Marshal(a)
	for i := 0; i < 2; i++ {
		code, _, v := call(t, "POST", srv.URL+"/v1/actions", "", string(body))
		if code != 409 || v["code"] != "conflict" || v["ticket"] == nil {
			t.Fatalf("conflict %d: %d %v", i, code, v)
		}
	}
	final, _ := st.Ticket(tk.ID)
	if final.Version != after.Version || len(final.History) != len(after.History)+1 || final.History[len(final.History)-1].Field != "conflict" {
		t.Fatalf("conflict recorded wrongly: v%d %+v", final.Version, final.History)
	}
	if code, _, v := call(t, "POST", srv.URL+"/v1/actions", "", `{"id":"k3","ticket_id":"nope","kind":"note","note":"x","by":"a","at":"2026-01-01T00:00:00Z"}`); code != 404 || v["field"] != "ticket_id" {
		t.Fatalf("unknown ticket: %d %v", code, v)
	}
	if code, _, v := call(t, "POST", srv.URL+"/v1/actions", "", `{"id":"k4","colour":"red"}`); code != 400 {
		t.Fatalf("unknown field: %d %v", code, v)
	}
}

func TestServeShutsDownGracefully(t *testing.T) {
	st, _ := newHub(t, 1, Options{})
	h, _ := New(st, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- ListenAndServe(ctx, "127.0.0.1:0", h.Handler(), ConnLimits{}, func(a net.Addr) { addr <- a })
	}()
	url := "http://" + (<-addr).String()
	if code, _, _ := call(t, "GET", url+"/healthz", "", ""); code != 200 {
		t.Fatal(code)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
