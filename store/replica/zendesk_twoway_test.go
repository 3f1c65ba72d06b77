package replica

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/replica/zdfake"
)

var zdStart = time.Date(2026, 10, 20, 8, 0, 0, 0, time.UTC)

func zdClient(t *testing.T, fake *zdfake.Server, st *store.Store) (*Client, *sleeps) {
	t.Helper()
	z, err := NewZendeskRemote(fake.URL, "oauth", zdStart.Unix()-3600, model.DefaultTaxonomy(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	sl := &sleeps{}
	return New(st, z, Options{Source: "zendesk", Sleep: sl.sleep, Logf: t.Logf, PageSize: 2}), sl
}

// zdSynced is a store synced from a fake account holding one open ticket.
func zdSynced(t *testing.T, id int) (*zdfake.Server, *store.Store, *Client) {
	t.Helper()
	fake := zdfake.New(zdStart)
	fake.Put(zdfake.Ticket{"id": id, "status": "open", "priority": "normal", "requester_id": 9, "tags": []any{}})
	st := openStore(t, "zd.db")
	c, _ := zdClient(t, fake, st)
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	return fake, st, c
}

// A ticket with values of every type Zendesk documents for the fields the
// adapter reads, the side-loads' names and metric times, and one ticket
// that cannot be mapped (quarantined while the rest lands).
func TestZendeskSideLoadsTypesAndQuarantine(t *testing.T) {
	fake := zdfake.New(zdStart)
	fake.User(235323, "Lan Nguyen")
	fake.Group(98738, "Billing")
	fake.Put(zdfake.Ticket{"id": 101, "status": "solved", "priority": "high", "type": "incident",
		"subject": "Where is my order?", "description": "The parcel did not arrive.",
		"requester_id": 20978392, "assignee_id": 235323, "group_id": 98738, "organization_id": 509974,
		"tags": []any{"late_delivery", "vip"}, "via": map[string]any{"channel": "email", "source": map[string]any{"from": map[string]any{}, "to": map[string]any{}, "rel": nil}},
		"custom_fields": []any{map[string]any{"id": 1, "value": "745"}, map[string]any{"id": 2, "value": 12.5},
			map[string]any{"id": 3, "value": true}, map[string]any{"id": 4, "value": []any{"a", "b"}}, map[string]any{"id": 5, "value": nil}},
		"satisfaction_rating": map[string]any{"id": 1234, "score": "good", "comment": "Great"},
		"collaborator_ids":    []any{35334, 234}, "follower_ids": []any{}, "email_cc_ids": []any{}, "sharing_agreement_ids": []any{},
		"has_incidents": false, "is_public": true, "due_at": nil, "problem_id": nil, "external_id": 98765,
		"created_at": zdStart.Format(time.RFC3339)})
	fake.Metrics(101, 30, 120, zdStart.Add(2*time.Hour).Format(time.RFC3339))
	// Ids as strings, a numeric tag, nulls everywhere a field may be null.
	fake.Put(zdfake.Ticket{"id": "102", "status": "open", "priority": nil, "type": nil, "subject": nil, "description": nil,
		"requester_id": "20978400", "assignee_id": nil, "group_id": nil, "organization_id": nil,
		"tags": []any{"complaint", 2026}, "via": map[string]any{"channel": "native_messaging"}, "satisfaction_rating": nil,
		"custom_fields": nil, "external_id": nil, "created_at": zdStart.Format(time.RFC3339)})
	fake.Metrics(102, nil, nil, nil)
	fake.Put(zdfake.Ticket{"id": 103, "status": "escalated-by-ai", "created_at": zdStart.Format(time.RFC3339)})
	fake.Put(zdfake.Ticket{"id": 104, "status": "pending", "priority": "low", "via": map[string]any{"channel": "voice"},
		"tags": []any{}, "requester_id": 5, "created_at": zdStart.Format(time.RFC3339)})
	st := openStore(t, "zd.db")
	c, _ := zdClient(t, fake, st)
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, q := range fake.Queries {
		if !strings.Contains(q, "include=users%2Cgroups%2Cmetric_sets") || !strings.Contains(q, "support_type_scope=all") {
			t.Fatalf("export query %q lacks the side-loads or support_type_scope", q)
		}
	}
	a, err := st.Ticket("zd-101")
	if err != nil {
		t.Fatal(err)
	}
	if a.Department != "Billing" || a.Assignee != "Lan Nguyen" || a.CustomerID != "zd-user-20978392" {
		t.Errorf("names: %q %q %q", a.Department, a.Assignee, a.CustomerID)
	}
	if !a.FirstResponseAt.Equal(zdStart.Add(30*time.Minute)) || !a.ResolvedAt.Equal(zdStart.Add(2*time.Hour)) {
		t.Errorf("times from metric_sets: first response %v, resolved %v", a.FirstResponseAt, a.ResolvedAt)
	}
	if a.Type != "complaint" || a.SubType != "late_delivery" || a.Source != "email" || a.SourceStamp == "" {
		t.Errorf("ticket %+v", a)
	}
	b, err := st.Ticket("zd-102")
	if err != nil {
		t.Fatal(err)
	}
	if b.Status != model.StatusInProgress || b.Priority != model.PriorityNormal || b.Type != "complaint" || !b.FirstResponseAt.IsZero() || b.Source != "website_chat" {
		t.Errorf("nullable ticket %+v", b)
	}
	if fb, _ := st.FeedbackForTicket("zd-101"); len(fb) != 1 || fb[0].Score != 5 {
		t.Errorf("rating: %+v", fb)
	}
	if _, err := st.Ticket("zd-104"); err != nil {
		t.Errorf("the ticket after the bad one did not land: %v", err)
	}
	s := c.Status()
	if s.Quarantined != 1 {
		t.Fatalf("status %+v, want 1 quarantined", s)
	}
	list, _ := st.QuarantineList(0)
	if len(list) != 1 || list[0].ID != "zd-103" || !strings.Contains(list[0].Reason, "escalated-by-ai") || !json.Valid(list[0].Raw) {
		t.Fatalf("quarantine %+v", list)
	}
	if rep, _ := st.Check(); !rep.OK() {
		t.Fatal(rep)
	}
	// The ticket is fixed at the source: the new version replaces the entry.
	fake.Change(103, map[string]any{"status": "open"})
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n, _ := st.QuarantineLen(); n != 0 {
		t.Fatalf("%d still quarantined after the source fixed the ticket", n)
	}
}

// Triage actions reach Zendesk with safe_update and the stamp the lead
// saw; a ticket changed in Zendesk meanwhile is a visible conflict; 429
// waits the Retry-After.
func TestZendeskPushSafeUpdateConflictAndRateLimit(t *testing.T) {
	fake := zdfake.New(zdStart)
	fake.Group(1, "Billing")
	fake.Group(2, "Logistics")
	for _, id := range []int{201, 202} {
		fake.Put(zdfake.Ticket{"id": id, "status": "new", "priority": "normal", "group_id": 1, "requester_id": 9, "tags": []any{}})
	}
	st := openStore(t, "zd.db")
	c, sl := zdClient(t, fake, st)
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	tax := model.DefaultTaxonomy()
	at := zdStart.Add(time.Hour)
	// Two actions in a row on 201: the second carries the first's stamp.
	tk, _ := st.Ticket("zd-201")
	tk, err := st.ApplyAction(&tax, model.Action{ID: "a1", TicketID: tk.ID, BaseVersion: tk.Version, Kind: model.ActionAssign, Department: "Logistics", By: "lead", At: at})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ApplyAction(&tax, model.Action{ID: "a2", TicketID: tk.ID, BaseVersion: tk.Version, Kind: model.ActionNote, Note: "called the carrier", By: "lead", At: at}); err != nil {
		t.Fatal(err)
	}
	// 202 is changed in Zendesk after the pull, then triaged here.
	tk2, _ := st.Ticket("zd-202")
	fake.Change(202, map[string]any{"priority": "urgent"})
	if _, err := st.ApplyAction(&tax, model.Action{ID: "a3", TicketID: tk2.ID, BaseVersion: tk2.Version, Kind: model.ActionStatus, Status: model.StatusDone, By: "lead", At: at}); err != nil {
		t.Fatal(err)
	}
	fake.Fail429 = map[int]bool{4: true}
	fake.RetryAfter = "7"
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if w := sl.all(); !slices.Contains(w, 7*time.Second) {
		t.Errorf("waits %v, want Zendesk's Retry-After of 7s", w)
	}
	if g := fake.Get(201); g["group_id"] != float64(2) {
		t.Errorf("Zendesk ticket 201 group %v, want 2 (Logistics)", g["group_id"])
	}
	if cm := fake.Comments(201); len(cm) != 1 || !strings.HasPrefix(cm[0], "called the carrier") {
		t.Errorf("comments %q", cm)
	}
	s := c.Status()
	if s.Pushed != 2 || s.Conflicts != 1 || !strings.Contains(s.LastConflict, "UpdateConflict") || s.Pending != 0 {
		t.Fatalf("status %+v", s)
	}
	if g := fake.Get(202); g["status"] != "new" {
		t.Errorf("the stale action reached Zendesk: status %v", g["status"])
	}
	after, _ := st.Ticket("zd-202")
	conflicted := func(tk *model.Ticket) bool {
		return slices.ContainsFunc(tk.History, func(h model.Change) bool { return h.Field == "conflict" })
	}
	if after.Priority != model.PriorityUrgent || after.Status != model.StatusNew || !conflicted(after) {
		t.Fatalf("after the conflict: %s %s %+v", after.Priority, after.Status, after.History)
	}
	// The next pull keeps the conflict visible.
	fake.Change(202, map[string]any{"subject": "edited again"})
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if again, _ := st.Ticket("zd-202"); again.Subject != "edited again" || !conflicted(again) {
		t.Fatalf("after the next pull: %q %+v", again.Subject, again.History)
	}
	if rep, _ := st.Check(); !rep.OK() {
		t.Fatal(rep)
	}
}

// A push repeated after a crash (applied in Zendesk, not yet settled here)
// meets a 409 and is recognised as applied, not reported as a conflict.
func TestZendeskRepeatedPushIsNotAConflict(t *testing.T) {
	fake, st, c := zdSynced(t, 301)
	tax := model.DefaultTaxonomy()
	tk, _ := st.Ticket("zd-301")
	for _, a := range []model.Action{
		{ID: "n1", TicketID: tk.ID, BaseVersion: tk.Version, Kind: model.ActionNote, Note: "hello", By: "lead", At: zdStart},
	} {
		if _, err := st.ApplyAction(&tax, a); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := st.Outbox(10)
	var a model.Action
	json.Unmarshal(entries[0].Payload, &a)
	// The first process pushed it, then died before settling.
	z1, _ := NewZendeskRemote(fake.URL, "oauth", 0, model.DefaultTaxonomy(), time.Second)
	if res, err := z1.Push(context.Background(), a); err != nil || res.Outcome != PushApplied {
		t.Fatalf("first push: %+v %v", res, err)
	}
	// A new process (no memory of the stamp it moved) pushes it again.
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s := c.Status(); s.Conflicts != 0 || s.Pushed != 1 {
		t.Fatalf("status %+v", s)
	}
	if cm := fake.Comments(301); len(cm) != 1 {
		t.Fatalf("the note was sent %d times", len(cm))
	}
}

// A ticket deleted in Zendesk leaves the store with its rating: the store
// ends as one that never held it.
func TestZendeskDeletedTicketLeavesNoTrace(t *testing.T) {
	put := func(fake *zdfake.Server, id int, at time.Time) {
		fake.SetClock(at)
		fake.Put(zdfake.Ticket{"id": id, "status": "solved", "priority": "high", "requester_id": id * 10, "tags": []any{},
			"satisfaction_rating": map[string]any{"id": id + 5000, "score": "good"}, "created_at": zdStart.Format(time.RFC3339)})
	}
	held, never := zdfake.New(zdStart), zdfake.New(zdStart)
	put(held, 401, zdStart)
	put(held, 402, zdStart.Add(time.Minute))
	put(never, 402, zdStart.Add(time.Minute))
	stHeld, stNever := openStore(t, "held.db"), openStore(t, "never.db")
	c1, _ := zdClient(t, held, stHeld)
	c2, _ := zdClient(t, never, stNever)
	if err := c1.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	held.Delete(401)
	for _, c := range []*Client{c1, c2} {
		if err := c.SyncOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if c1.Status().Deleted != 2 {
		t.Fatalf("status %+v, want the ticket and its rating deleted", c1.Status())
	}
	a, b := exportLines(t, stHeld), exportLines(t, stNever)
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Fatalf("after the deletion:\n%s\nnever held:\n%s", a, b)
	}
	if rep, _ := stHeld.Check(); !rep.OK() {
		t.Fatal(rep)
	}
}

func TestZendeskTimeForms(t *testing.T) {
	for _, s := range []string{`"2026-10-21T10:38:52Z"`, `"2026-10-21T17:38:52+07:00"`, `"2026-10-21T10:38:52.000Z"`, `"2026-10-21T17:38:52+0700"`} {
		var z zdTime
		if err := json.Unmarshal([]byte(s), &z); err != nil || !z.T.Equal(time.Date(2026, 10, 21, 10, 38, 52, 0, time.UTC)) {
			t.Errorf("%s: %v %v", s, z.T, err)
		}
	}
	var id zdID
	for _, s := range []string{`35436`, `"35436"`, `35436.0`} {
		if err := json.Unmarshal([]byte(s), &id); err != nil || id != 35436 {
			t.Errorf("id %s: %v %v", s, id, err)
		}
	}
	if err := json.Unmarshal([]byte(`"abc"`), &id); err == nil {
		t.Error("a non-numeric id was accepted")
	}
}
