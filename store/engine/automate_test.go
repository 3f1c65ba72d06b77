package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/hub"
	"github.com/cxtop/cxtop/store/replica"
)

// triggers are records each automation acts on: a chatbot rating on a
// ticket and one without, a detractor, a done ticket, an unrouted one.
func triggers() []model.Record {
	at := now.Add(-3 * time.Hour)
	tk := func(id, status string, dept string) *model.Ticket {
		t := &model.Ticket{ID: id, Status: status, Type: "complaint", SubType: "late_delivery", Source: "chatbot", Priority: model.PriorityNormal,
			Department: dept, CustomerID: "C" + id, Segment: "regular", CreatedAt: at, UpdatedAt: at, Version: 1,
			History: []model.Change{{At: at, By: "system", Field: "status", New: model.StatusNew}}}
		if status == model.StatusDone {
			t.ResolvedAt, t.FirstResponseAt = at.Add(time.Hour), at.Add(time.Hour)
		}
		return t
	}
	fb := func(id, survey string, score int, ticket string) model.Record {
		return model.Record{Feedback: &model.Feedback{ID: id, Survey: survey, Score: score, At: at.Add(time.Minute), CustomerID: "C" + id,
			Segment: "vip", Channel: "email", TicketID: ticket, Kind: model.KindRelationship}}
	}
	return []model.Record{
		{Ticket: tk("T1", model.StatusNew, "customer_care")},
		fb("F1", model.SurveyBot, 2, "T1"),
		fb("F2", model.SurveyBot, 1, ""),
		fb("F3", model.SurveyNPS, 2, ""),
		fb("F4", model.SurveyNPS, 9, ""),
		{Ticket: tk("T2", model.StatusDone, "customer_care")},
		{Ticket: tk("T3", model.StatusNew, "")},
	}
}

func export(t *testing.T, s *store.Store) string {
	t.Helper()
	var b bytes.Buffer
	if err := s.Export(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func outbox(t *testing.T, s *store.Store) string {
	t.Helper()
	list, err := s.Outbox(0)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range list {
		fmt.Fprintf(&b, "%s %s %s\n", e.Kind, e.Key, e.Payload)
	}
	return b.String()
}

// applyPage writes records as a sync page does: a ticket the store holds
// in a newer version is left alone.
func applyPage(t *testing.T, s *store.Store, recs []model.Record) {
	t.Helper()
	_, err := s.Update(func(w *store.Writer) error {
		for _, r := range recs {
			if r.Ticket != nil {
				if local, err := w.Ticket(r.Ticket.ID); err == nil && local.Version > r.Ticket.Version {
					continue
				}
			}
			if err := w.Put(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAutomationsExactlyOnce: the automations act once; after a restart
// and the same records applied again as a sync page would, the export and
// the outbox are unchanged — also for a changed version of a trigger.
func TestAutomationsExactlyOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cx.db")
	s := open(t, path)
	set := alert.DefaultSettings(model.DefaultTaxonomy())
	applyPage(t, s, triggers())
	res, err := Automate(s, set, false, now)
	if err != nil {
		t.Fatal(err)
	}
	// T1 escalated, esc-F2 and fu-F3 made, T2 surveyed, T3 routed; the
	// follow-up, the survey and the two chatbot escalation notices queued.
	if res.Tickets != 5 || res.Contacts != 4 || res.Alerts != 2 {
		t.Fatalf("first run: %+v", res)
	}
	for id, want := range map[string]func(*model.Ticket) bool{
		"T1":     func(t *model.Ticket) bool { return t.Escalated && t.Priority == model.PriorityHigh },
		"esc-F2": func(t *model.Ticket) bool { return t.Escalated && t.Source == "chatbot" },
		"fu-F3":  func(t *model.Ticket) bool { return t.CustomerID == "CF3" && t.Open() },
		"T2":     func(t *model.Ticket) bool { return t.History[len(t.History)-1].Field == "survey_request" },
		"T3":     func(t *model.Ticket) bool { return t.Department == "logistics" },
	} {
		tk, err := s.Ticket(id)
		if err != nil || !want(tk) {
			t.Errorf("%s: %+v %v", id, tk, err)
		}
	}
	if _, err := s.Ticket("fu-F4"); err == nil {
		t.Error("a promoter got a follow-up")
	}
	wantExport, wantOutbox := export(t, s), outbox(t, s)
	if !strings.Contains(wantOutbox, "contact contact/fu-F3 ") || !strings.Contains(wantOutbox, "contact contact/survey/T2/") {
		t.Fatalf("outbox:\n%s", wantOutbox)
	}
	s.Close()

	s = open(t, path)
	defer s.Close()
	applyPage(t, s, triggers())
	// A newer version of the detractor's answer (a comment added) is a
	// changed record: it goes through the automations again.
	changed := triggers()[3]
	changed.Feedback.Comment = "still waiting"
	applyPage(t, s, []model.Record{changed})
	res, err = Automate(s, set, false, now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if res.Tickets != 0 || res.Contacts != 0 || res.Alerts != 0 || res.Records == 0 {
		t.Fatalf("second run: %+v", res)
	}
	got := export(t, s)
	if strings.Count(got, "\n") != strings.Count(wantExport, "\n") {
		t.Fatalf("export has %d lines, want %d", strings.Count(got, "\n"), strings.Count(wantExport, "\n"))
	}
	for _, line := range strings.Split(wantExport, "\n") {
		if !strings.Contains(line, `"id":"F3"`) && !strings.Contains(got, line) {
			t.Errorf("export lost or changed: %s", line)
		}
	}
	if o := outbox(t, s); o != wantOutbox {
		t.Fatalf("outbox changed:\n%s\nwant:\n%s", o, wantOutbox)
	}
}

// TestHubAndReplicaAgree: a hub and a replica both run the automations, in
// either order around a sync; after syncing, their exports are equal, and
// only the hub queued contact requests.
func TestHubAndReplicaAgree(t *testing.T) {
	for _, hubFirst := range []bool{false, true} {
		t.Run(fmt.Sprintf("hub first %v", hubFirst), func(t *testing.T) {
			dir := t.TempDir()
			hs := open(t, filepath.Join(dir, "hub.db"))
			defer hs.Close()
			rs := open(t, filepath.Join(dir, "replica.db"))
			defer rs.Close()
			h, err := hub.New(hs, hub.Options{})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(h.Handler())
			defer srv.Close()
			remote, err := replica.NewHubRemote(srv.URL, "", 10*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			c := replica.New(rs, remote, replica.Options{Seed: 1})
			set := alert.DefaultSettings(model.DefaultTaxonomy())
			ctx := context.Background()
			must := func(_ any, err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			must(hs.Write(triggers()))
			if hubFirst {
				must(Automate(hs, set, false, now))
			}
			must(nil, c.SyncOnce(ctx))
			must(Automate(rs, set, true, now.Add(time.Minute)))
			if !hubFirst {
				must(Automate(hs, set, false, now.Add(2*time.Minute)))
			}
			must(nil, c.SyncOnce(ctx))
			must(Automate(rs, set, true, now.Add(3*time.Minute)))
			must(nil, c.SyncOnce(ctx))
			he, re := export(t, hs), export(t, rs)
			if he != re {
				t.Fatalf("exports differ:\nhub:\n%s\nreplica:\n%s", he, re)
			}
			if !strings.Contains(he, `"id":"fu-F3"`) || !strings.Contains(he, `"id":"esc-F2"`) {
				t.Fatalf("automations missing from the export:\n%s", he)
			}
			if o := outbox(t, rs); o != "" {
				t.Errorf("the replica queued:\n%s", o)
			}
			var hubContacts []alert.Contact
			list, _ := hs.Outbox(0)
			for _, e := range list {
				var c alert.Contact
				if err := json.Unmarshal(e.Payload, &c); err != nil || e.Kind != store.OutboxContact {
					t.Fatalf("%+v: %v", e, err)
				}
				hubContacts = append(hubContacts, c)
			}
			if len(hubContacts) != 4 {
				t.Fatalf("hub contacts %+v", hubContacts)
			}
		})
	}
}

// TestUnseenCountsWhatTheAutomationsHaveNotRead: every committed record
// until Automate runs; then what it wrote itself, which the next call
// reads (and does nothing with); then none.
func TestUnseenCountsWhatTheAutomationsHaveNotRead(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "cx.db"))
	recs := triggers()
	applyPage(t, s, recs)
	// Never run: the first pass reads the horizon, not the change log.
	if n, err := Unseen(s); err != nil || n != 0 {
		t.Fatalf("before the first Automate: unseen %d, %v; want 0", n, err)
	}
	set := alert.DefaultSettings(model.DefaultTaxonomy())
	res, err := Automate(s, set, false, now)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := Unseen(s); err != nil || n != uint64(res.Tickets) {
		t.Fatalf("after Automate: unseen %d, %v; want the %d tickets it wrote", n, err, res.Tickets)
	}
	if _, err := Automate(s, set, false, now); err != nil {
		t.Fatal(err)
	}
	if n, err := Unseen(s); err != nil || n != 0 {
		t.Fatalf("after a second Automate: unseen %d, %v; want 0", n, err)
	}
}

// TestFirstPassReadsOnlyTheHorizon: on a store that never ran them, the
// automations look at the records of their horizon only, through the
// store's time indexes, and leave the cursor at the end of the log.
func TestFirstPassReadsOnlyTheHorizon(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "cx.db"))
	var old []model.Record
	for i := 0; i < 50; i++ {
		at := now.Add(-10 * 24 * time.Hour).Add(time.Duration(i) * time.Minute)
		old = append(old, model.Record{Ticket: &model.Ticket{ID: fmt.Sprintf("OLD%d", i), Status: model.StatusNew, Type: "complaint",
			SubType: "late_delivery", Source: "email", Priority: model.PriorityNormal, CreatedAt: at, UpdatedAt: at, Version: 1}},
			model.Record{Feedback: &model.Feedback{ID: fmt.Sprintf("OLDF%d", i), Survey: model.SurveyNPS, Score: 1, At: at, CustomerID: "C1"}})
	}
	applyPage(t, s, old)
	recent := triggers()
	applyPage(t, s, recent)
	seq, _ := s.Seq()
	set := alert.DefaultSettings(model.DefaultTaxonomy())
	res, err := Automate(s, set, false, now)
	if err != nil {
		t.Fatal(err)
	}
	if res.Records != len(recent) || res.Tickets != 5 {
		t.Fatalf("first pass looked at %d records and wrote %d tickets; want the %d recent ones and 5", res.Records, res.Tickets, len(recent))
	}
	raw, _ := s.Meta(metaCursor)
	if readU64(raw) != seq {
		t.Fatalf("cursor %d, want the sequence the pass read at, %d", readU64(raw), seq)
	}
	if _, err := s.Ticket("fu-OLDF0"); err == nil {
		t.Fatal("an old detractor was followed up")
	}
	// The next pass reads the change log after the cursor: what the first wrote.
	res, err = Automate(s, set, false, now)
	if err != nil || res.Records != 5 || res.Tickets != 0 {
		t.Fatalf("second pass: %+v, %v", res, err)
	}
}

// TestAPageSeesItsOwnWrites: one page holds a ticket the automations route
// and a chatbot answer about it that escalates it; the escalation reads
// the ticket as the page left it (routed), not as the page first read it,
// in the first pass and in a later one.
func TestAPageSeesItsOwnWrites(t *testing.T) {
	at := now.Add(-2 * time.Hour)
	page := func(id string) []model.Record {
		return []model.Record{
			{Ticket: &model.Ticket{ID: id, Status: model.StatusNew, Type: "complaint", SubType: "late_delivery", Source: "chatbot",
				Priority: model.PriorityNormal, CustomerID: "C" + id, CreatedAt: at, UpdatedAt: at, Version: 1,
				History: []model.Change{{At: at, By: "system", Field: "status", New: model.StatusNew}}}},
			{Feedback: &model.Feedback{ID: "F" + id, Survey: model.SurveyBot, Score: 1, At: at.Add(time.Minute), CustomerID: "C" + id, TicketID: id}},
		}
	}
	s := open(t, filepath.Join(t.TempDir(), "cx.db"))
	set := alert.DefaultSettings(model.DefaultTaxonomy())
	check := func(id string) {
		t.Helper()
		tk, err := s.Ticket(id)
		if err != nil || tk.Department == "" || !tk.Escalated || tk.Priority != model.PriorityHigh {
			t.Fatalf("%s after the automations: %+v, %v; want routed and escalated", id, tk, err)
		}
	}
	applyPage(t, s, page("T7"))
	if _, err := Automate(s, set, false, now); err != nil {
		t.Fatal(err)
	}
	check("T7")
	applyPage(t, s, page("T8")) // the cursor is set: one page of the change log
	if _, err := Automate(s, set, false, now); err != nil {
		t.Fatal(err)
	}
	check("T8")
}
