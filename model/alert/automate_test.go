package alert

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
)

func automations() *Automations {
	s := DefaultSettings(model.DefaultTaxonomy())
	return &s.Automations
}

// state is a tiny ticket store the automations read and their effects
// write to, as the write transaction does.
type state map[string]*model.Ticket

func (s state) get(id string) (*model.Ticket, bool) { t, ok := s[id]; return t, ok }

func (s state) apply(e Effects) {
	for _, t := range e.Tickets {
		s[t.ID] = t
	}
}

func TestAutomations(t *testing.T) {
	at := now.Add(-time.Hour)
	linked := &model.Ticket{ID: "T1", Status: model.StatusInProgress, Type: "complaint", Source: "chatbot", Priority: model.PriorityNormal,
		Department: "customer_care", CustomerID: "C1", CreatedAt: at.Add(-time.Minute), UpdatedAt: at.Add(-time.Minute), Version: 2}
	done := &model.Ticket{ID: "T2", Status: model.StatusDone, Type: "complaint", Source: "email", Priority: model.PriorityNormal,
		Department: "customer_care", CustomerID: "C2", CreatedAt: at.Add(-5 * time.Hour), ResolvedAt: at, UpdatedAt: at, Version: 3}
	unrouted := &model.Ticket{ID: "T3", Status: model.StatusNew, Type: "technical_support", SubType: "app_bug", Source: "web_form",
		Priority: model.PriorityLow, CustomerID: "C3", CreatedAt: at, UpdatedAt: at, Version: 1}
	fb := func(id, survey string, score int, ticket string) model.Record {
		return model.Record{Feedback: &model.Feedback{ID: id, Survey: survey, Score: score, At: at, CustomerID: "C9", Segment: "vip",
			Channel: "zalo_oa", TicketID: ticket, Kind: model.KindRelationship}}
	}
	for _, tc := range []struct {
		name     string
		rec      model.Record
		ticket   string // the ticket written
		contacts int
		check    func(t *testing.T, tk *model.Ticket)
	}{
		{"bot answer on a ticket escalates it and notifies", fb("F1", model.SurveyBot, 2, "T1"), "T1", 1, func(t *testing.T, tk *model.Ticket) {
			if !tk.Escalated || tk.Priority != model.PriorityHigh || tk.Version != 3 || tk.History[0].By != By {
				t.Errorf("%+v", tk)
			}
		}},
		{"bot answer alone opens a human ticket and notifies", fb("F2", model.SurveyBot, 1, ""), "esc-F2", 1, func(t *testing.T, tk *model.Ticket) {
			if !tk.Escalated || tk.Priority != model.PriorityHigh || tk.Source != "chatbot" || tk.Department == "" || !tk.CreatedAt.Equal(at) {
				t.Errorf("%+v", tk)
			}
		}},
		{"detractor gets a follow-up due in 24h", fb("F3", model.SurveyNPS, 4, ""), "fu-F3", 1, func(t *testing.T, tk *model.Ticket) {
			if !tk.SLADueAt.Equal(at.Add(24*time.Hour)) || tk.CustomerID != "C9" || tk.Source != "zalo_oa" || tk.Department == "" {
				t.Errorf("%+v", tk)
			}
		}},
		{"done ticket asks for a survey", model.Record{Ticket: done}, "T2", 1, func(t *testing.T, tk *model.Ticket) {
			h := tk.History[len(tk.History)-1]
			if h.Field != "survey_request" || h.By != By || !h.At.Equal(at) || tk.Version != 4 {
				t.Errorf("%+v", h)
			}
		}},
		{"new ticket without a department is routed", model.Record{Ticket: unrouted}, "T3", 0, func(t *testing.T, tk *model.Ticket) {
			if tk.Department != "it_support" || tk.History[len(tk.History)-1].Field != "department" || tk.Version != 2 {
				t.Errorf("%+v", tk)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := automations()
			st := state{"T1": linked.Clone(), "T2": done.Clone(), "T3": unrouted.Clone()}
			e := a.On(tc.rec, st.get, now)
			if len(e.Tickets) != 1 || e.Tickets[0].ID != tc.ticket || len(e.Contacts) != tc.contacts {
				t.Fatalf("effects %+v", e)
			}
			if err := model.CheckRecord(model.Record{Ticket: e.Tickets[0]}); err != nil {
				t.Fatal(err)
			}
			tc.check(t, e.Tickets[0])
			for _, c := range e.Contacts {
				if c.Key == "" || c.Channel == "" || c.CustomerID == "" || c.TicketID == "" {
					t.Errorf("contact %+v", c)
				}
			}
			// Deterministic: another replica running it gets the same bytes.
			again := automations().On(tc.rec, state{"T1": linked.Clone(), "T2": done.Clone(), "T3": unrouted.Clone()}.get, now.Add(time.Minute))
			if !bytes.Equal(model.AppendTicket(nil, e.Tickets[0]), model.AppendTicket(nil, again.Tickets[0])) {
				t.Error("two runs made different tickets")
			}
			// Exactly once: on the state it produced, nothing more to do.
			st.apply(e)
			rec := tc.rec
			if rec.Ticket != nil {
				rec = model.Record{Ticket: st[rec.Ticket.ID]}
			}
			if e2 := a.On(rec, st.get, now); len(e2.Tickets)+len(e2.Contacts) != 0 {
				t.Fatalf("second run did more: %+v", e2)
			}
			// Too old: nothing.
			if e3 := automations().On(tc.rec, state{"T1": linked.Clone(), "T2": done.Clone(), "T3": unrouted.Clone()}.get, now.Add(DefaultHorizon+2*time.Hour)); len(e3.Tickets) != 0 {
				t.Fatalf("acted past the horizon: %+v", e3)
			}
		})
	}
	// Passives, promoters, 3-star chats and an answer on a ticket the store
	// does not hold trigger nothing.
	for _, r := range []model.Record{fb("F4", model.SurveyNPS, 7, ""), fb("F5", model.SurveyNPS, 10, ""), fb("F6", model.SurveyBot, 3, ""), fb("F7", model.SurveyBot, 1, "T404")} {
		if e := automations().On(r, state{}.get, now); len(e.Tickets)+len(e.Contacts) != 0 {
			t.Errorf("%s: %+v", r.ID(), e)
		}
	}
}

func TestContactChannel(t *testing.T) {
	n := map[string]int{}
	for i := range 1000 {
		id := "C" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		if ContactChannel(id) != ContactChannel(id) {
			t.Fatal("not stable")
		}
		n[ContactChannel(id)]++
	}
	if n[ChannelZaloZNS] < 350 || n[ChannelEmail] < 200 || n[ChannelSMS] < 100 || len(n) != 3 {
		t.Fatalf("channel mix %v", n)
	}
}

// An escalation never raises a priority twice: a ticket a person (or an
// earlier run) escalated keeps its priority and its SLA.
func TestEscalationDoesNotRaiseTwice(t *testing.T) {
	at := now.Add(-time.Hour)
	tk := &model.Ticket{ID: "T1", Status: model.StatusInProgress, Type: "complaint", Source: "chatbot", Priority: model.PriorityLow,
		Department: "customer_care", CustomerID: "C1", CreatedAt: at.Add(-time.Hour), UpdatedAt: at, Version: 3, Escalated: false,
		History: []model.Change{{At: at.Add(-time.Hour), By: "lan", Field: "escalated", Old: "false", New: "true"},
			{At: at.Add(-30 * time.Minute), By: "lan", Field: "escalated", Old: "true", New: "false"}}}
	bot := model.Record{Feedback: &model.Feedback{ID: "F1", Survey: model.SurveyBot, Score: 1, At: at, CustomerID: "C1", TicketID: "T1", Kind: model.KindChatbot}}
	for _, cur := range []*model.Ticket{tk, func() *model.Ticket { c := tk.Clone(); c.Escalated = true; c.History = c.History[:1]; return c }()} {
		if e := automations().On(bot, state{"T1": cur}.get, now); len(e.Tickets) != 0 {
			t.Errorf("escalated %+v again: %+v", cur.History, e.Tickets[0].History)
		}
	}
}

// An automation that runs late (the store was written with nobody running
// them) escalates now, not backdated to the rating: the new ticket is not
// born past its SLA, and a raised priority never makes a ticket overdue on
// the spot.
func TestLateEscalationIsNotBackdated(t *testing.T) {
	rated := now.Add(-3 * 24 * time.Hour).Add(time.Hour) // inside the horizon, days late
	alone := model.Record{Feedback: &model.Feedback{ID: "F2", Survey: model.SurveyBot, Score: 1, At: rated, CustomerID: "C2", Channel: "chatbot", Kind: model.KindChatbot}}
	e := automations().On(alone, state{}.get, now)
	if len(e.Tickets) != 1 {
		t.Fatalf("no escalation: %+v", e)
	}
	esc := e.Tickets[0]
	if !esc.CreatedAt.Equal(now) || !esc.SLADueAt.After(now) {
		t.Errorf("late escalation created %v, due %v: want now and a due time ahead", esc.CreatedAt, esc.SLADueAt)
	}
	if note := esc.History[len(esc.History)-2]; note.Field != "note" || !strings.Contains(note.New, "escalated late") || !strings.Contains(note.New, rated.Format("2006-01-02 15:04Z")) {
		t.Errorf("the late escalation does not say so: %+v", esc.History)
	}
	old := &model.Ticket{ID: "T3", Status: model.StatusNew, Type: "complaint", Source: "chatbot", Priority: model.PriorityLow,
		Department: "customer_care", CustomerID: "C3", CreatedAt: now.Add(-5 * 24 * time.Hour), UpdatedAt: now.Add(-5 * 24 * time.Hour), Version: 1,
		History: []model.Change{{At: now.Add(-5 * 24 * time.Hour), By: "system", Field: "status", New: model.StatusNew}}}
	old.SLADueAt = now.Add(2 * 24 * time.Hour)
	linked := model.Record{Feedback: &model.Feedback{ID: "F3", Survey: model.SurveyBot, Score: 1, At: now.Add(-time.Minute), CustomerID: "C3", TicketID: "T3", Kind: model.KindChatbot}}
	e = automations().On(linked, state{"T3": old}.get, now)
	if len(e.Tickets) != 1 || e.Tickets[0].Priority != model.PriorityHigh || !e.Tickets[0].SLADueAt.After(now) {
		t.Fatalf("raising a 5-day-old ticket's priority made it due %v (now %v)", e.Tickets[0].SLADueAt, now)
	}
}

func TestFormAbandonmentReminder(t *testing.T) {
	a := automations()
	ev := &model.Event{ID: "E7", Type: model.EventFormAbandoned, At: now.Add(-time.Hour), CustomerID: "C7", Variant: "B"}
	e := a.On(model.Record{Event: ev}, state{}.get, now)
	if len(e.Contacts) != 1 || len(e.Tickets) != 0 {
		t.Fatalf("effects %+v", e)
	}
	c := e.Contacts[0]
	if c.Purpose != PurposeFormReminder || c.Key != "contact/form/E7" || c.CustomerID != "C7" || c.EventID != "E7" || !c.DueAt.Equal(ev.At.Add(24*time.Hour)) {
		t.Fatalf("contact %+v", c)
	}
	for _, other := range []*model.Event{
		{ID: "E8", Type: model.EventFormCompleted, At: now, CustomerID: "C7", Variant: "B"},
		{ID: "E9", Type: model.EventFormAbandoned, At: now.Add(-30 * 24 * time.Hour), CustomerID: "C7", Variant: "B"},
		{ID: "E10", Type: model.EventFormAbandoned, At: now},
	} {
		if e := a.On(model.Record{Event: other}, state{}.get, now); len(e.Contacts) != 0 {
			t.Errorf("%s %s: %+v", other.ID, other.Type, e.Contacts)
		}
	}
}
