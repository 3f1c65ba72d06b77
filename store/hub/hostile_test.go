package hub

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
)

func postAction(t *testing.T, url, token string, a model.Action) (int, map[string]any) {
	t.Helper()
	body, _ := json.Marshal(a)
	code, _, v := call(t, "POST", url+"/v1/actions", token, string(body))
	return code, v
}

// An action that can never apply writes nothing, even when it is stale:
// the hub used to record a stale action's whole note (up to 8 MiB) in the
// history, and unknown kinds too.
func TestInvalidActionWritesNothing(t *testing.T) {
	st, srv := newHub(t, 2, Options{})
	tk, _ := st.Ticket("T00000000")
	seq, _ := st.Seq()
	stale := tk.Version + 5
	for _, tc := range []struct {
		name string
		a    model.Action
		want string
	}{
		{"huge note", model.Action{ID: "a1", TicketID: tk.ID, BaseVersion: stale, Kind: model.ActionNote, Note: strings.Repeat("x", 8<<20-1024)}, "note"},
		{"unknown kind", model.Action{ID: "a2", TicketID: tk.ID, BaseVersion: stale, Kind: "explode"}, "not known"},
		{"unknown status", model.Action{ID: "a3", TicketID: tk.ID, BaseVersion: stale, Kind: model.ActionStatus, Status: "exploded"}, "not known"},
		{"hostile assignee", model.Action{ID: "a4", TicketID: tk.ID, BaseVersion: stale, Kind: model.ActionAssign, Assignee: "\x1b]52;c;aGk=\x07"}, "assignee"},
		{"empty note", model.Action{ID: "a5", TicketID: tk.ID, BaseVersion: tk.Version, Kind: model.ActionNote, Note: "  "}, "empty"},
		{"no id", model.Action{TicketID: tk.ID, BaseVersion: tk.Version, Kind: model.ActionEscalate}, "id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, v := postAction(t, srv.URL, "", tc.a)
			if code != http.StatusBadRequest || !strings.Contains(v["error"].(string), tc.want) {
				t.Fatalf("%d %v", code, v)
			}
			if now, _ := st.Seq(); now != seq {
				t.Fatalf("a refused action wrote to the store (sequence %d → %d)", seq, now)
			}
			if r, _ := st.Reply("action/" + tc.a.ID); r != nil {
				t.Fatal("a refused action stored a reply")
			}
		})
	}
}

// A conflict leaves one bounded history entry naming the refused change.
func TestConflictEntryIsBounded(t *testing.T) {
	st, srv := newHub(t, 2, Options{})
	tk, _ := st.Ticket("T00000000")
	note := strings.Repeat("long note ", model.MaxNoteLen/10)
	code, _ := postAction(t, srv.URL, "", model.Action{ID: "c1", TicketID: tk.ID, BaseVersion: tk.Version + 1, Kind: model.ActionNote, Note: note})
	if code != http.StatusConflict {
		t.Fatalf("stale note: %d", code)
	}
	after, _ := st.Ticket(tk.ID)
	last := after.History[len(after.History)-1]
	if last.Field != "conflict" || len(last.New) > 200 || !strings.Contains(last.New, "note of 4090 bytes") {
		t.Fatalf("conflict entry %q (%d bytes)", last.New, len(last.New))
	}
}

// The hub, not the client, says who and when.
func TestHubSetsByAndAt(t *testing.T) {
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	st, srv := newHub(t, 2, Options{Clients: []Client{{Name: "console-hcm", Token: "t1"}}, Now: func() time.Time { return now }})
	tk, _ := st.Ticket("T00000000")
	code, v := postAction(t, srv.URL, "t1", model.Action{ID: "b1", TicketID: tk.ID, BaseVersion: tk.Version, Kind: model.ActionNote, Note: "hi",
		By: "the CEO", At: time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)})
	if code != 200 {
		t.Fatalf("%d %v", code, v)
	}
	after, _ := st.Ticket(tk.ID)
	last := after.History[len(after.History)-1]
	if last.By != "console-hcm/the CEO" || !last.At.Equal(now) {
		t.Fatalf("history entry by %q at %s, want the client's name and the hub's clock", last.By, last.At)
	}
}

func TestIdempotencyKeyReusedForAnotherActionIsRefused(t *testing.T) {
	st, srv := newHub(t, 2, Options{})
	tk, _ := st.Ticket("T00000000")
	a := model.Action{ID: "k1", TicketID: tk.ID, BaseVersion: tk.Version, Kind: model.ActionNote, Note: "first"}
	if code, v := postAction(t, srv.URL, "", a); code != 200 {
		t.Fatalf("%d %v", code, v)
	}
	if code, v := postAction(t, srv.URL, "", a); code != 200 || v["ticket"] == nil {
		t.Fatalf("a retry: %d %v", code, v)
	}
	a.Note = "something else"
	code, v := postAction(t, srv.URL, "", a)
	if code != http.StatusUnprocessableEntity || v["code"] != "idempotency_key_reused" {
		t.Fatalf("reused key: %d %v", code, v)
	}
	after, _ := st.Ticket(tk.ID)
	if after.Version != tk.Version+1 {
		t.Fatalf("version %d, want %d", after.Version, tk.Version+1)
	}
}

func TestFullHistoryTakesNoMore(t *testing.T) {
	st, srv := newHub(t, 2, Options{})
	tk, _ := st.Ticket("T00000000")
	full := tk.Clone()
	for len(full.History) < model.MaxHistory {
		full.History = append(full.History, model.Change{At: full.CreatedAt, By: "x", Field: "note", New: "n"})
	}
	full.Version++
	if _, err := st.Write([]model.Record{{Ticket: full}}); err != nil {
		t.Fatal(err)
	}
	code, v := postAction(t, srv.URL, "", model.Action{ID: "f1", TicketID: tk.ID, BaseVersion: full.Version, Kind: model.ActionNote, Note: "one more"})
	if code != http.StatusBadRequest || !strings.Contains(v["error"].(string), "history is full") {
		t.Fatalf("%d %v", code, v)
	}
	if code, _ := postAction(t, srv.URL, "", model.Action{ID: "f2", TicketID: tk.ID, BaseVersion: 1, Kind: model.ActionEscalate}); code != http.StatusConflict {
		t.Fatalf("stale: %d", code)
	}
	if after, _ := st.Ticket(tk.ID); len(after.History) != model.MaxHistory {
		t.Fatalf("history grew past its bound: %d", len(after.History))
	}
}

func TestFailedTokensAreRateLimited(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	_, srv := newHub(t, 1, Options{Token: "right", Now: func() time.Time { return now }})
	for i := 0; i < failBurst; i++ {
		if code, _, _ := call(t, "GET", srv.URL+"/v1/changes", "wrong", ""); code != 401 {
			t.Fatalf("guess %d: %d", i, code)
		}
	}
	code, h, _ := call(t, "GET", srv.URL+"/v1/changes", "wrong", "")
	if code != 429 || h.Get("Retry-After") == "" {
		t.Fatalf("guess past the budget: %d, want 429 with Retry-After", code)
	}
	if code, _, _ := call(t, "GET", srv.URL+"/v1/changes", "right", ""); code != 429 {
		t.Fatalf("a blocked address is not looked at: %d", code)
	}
	now = now.Add(2 * time.Second)
	if code, _, _ := call(t, "GET", srv.URL+"/v1/changes", "right", ""); code != 200 {
		t.Fatalf("after the delay: %d", code)
	}
}

func TestBearerSchemeIsCaseInsensitive(t *testing.T) {
	_, srv := newHub(t, 1, Options{Token: "tok"})
	for _, h := range []string{"Bearer tok", "bearer tok", "BEARER  tok"} {
		req, _ := http.NewRequest("GET", srv.URL+"/v1/changes", nil)
		req.Header.Set("Authorization", h)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%q: %d", h, resp.StatusCode)
		}
	}
}
