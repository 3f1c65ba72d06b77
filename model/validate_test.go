package model

import (
	"strings"
	"testing"
	"time"
)

func TestValidateTicket(t *testing.T) {
	tax := DefaultTaxonomy()
	for _, tc := range []struct {
		name   string
		change func(*Ticket)
		want   string // "" = valid
	}{
		{"valid", func(*Ticket) {}, ""},
		{"no id", func(t *Ticket) { t.ID = "" }, "ticket (no id): id: is required"},
		{"nul in id", func(t *Ticket) { t.ID = "a\x00b" }, "contains a NUL byte"},
		{"long customer", func(t *Ticket) { t.CustomerID = strings.Repeat("c", MaxKeyLen+1) }, "customer_id: is 201 bytes long"},
		{"unknown status", func(t *Ticket) { t.Status = "closed" }, `ticket T1: status: unknown status "closed"`},
		{"unknown type", func(t *Ticket) { t.Type = "praise" }, `type: unknown type "praise"`},
		{"subtype of other type", func(t *Ticket) { t.SubType = "login_issue" }, `subtype: "login_issue" is not a sub-type of complaint`},
		{"unknown source", func(t *Ticket) { t.Source = "fax" }, `source: unknown source "fax"`},
		{"unknown priority", func(t *Ticket) { t.Priority = "p1" }, `priority: unknown priority "p1"`},
		{"no created", func(t *Ticket) { t.CreatedAt = time.Time{} }, "created_at: is required"},
		{"done without resolved", func(t *Ticket) { t.ResolvedAt = time.Time{} }, "resolved_at: is required when status"},
		{"open with resolved", func(t *Ticket) { t.Status = StatusInProgress }, "resolved_at: is set but status"},
		{"resolved before created", func(t *Ticket) { t.ResolvedAt = t.CreatedAt.Add(-time.Hour) }, "resolved_at: 2026-11-02T08:30:00Z is before created_at"},
		{"response before created", func(t *Ticket) { t.FirstResponseAt = t.CreatedAt.Add(-time.Hour) }, "first_response_at"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tk := sampleTicket()
			tc.change(tk)
			err := tax.ValidateTicket(tk)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
}

func TestCheckFeedbackAndEvent(t *testing.T) {
	bad := 1.5
	for _, tc := range []struct {
		rec  Record
		want string
	}{
		{Record{Feedback: &Feedback{ID: "F", Survey: "csat", Score: 5, At: when}}, ""},
		{Record{Feedback: &Feedback{ID: "F", Survey: "nps", Score: 0, At: when}}, ""},
		{Record{Feedback: &Feedback{ID: "F", Survey: "csat", Score: 0, At: when}}, "score: 0 is out of range for csat (1–5)"},
		{Record{Feedback: &Feedback{ID: "F", Survey: "nps", Score: 11, At: when}}, "out of range for nps (0–10)"},
		{Record{Feedback: &Feedback{ID: "F", Survey: "ces", Score: 8, At: when}}, "out of range for ces (1–7)"},
		{Record{Feedback: &Feedback{ID: "F", Survey: "bot", Score: 6, At: when}}, "out of range for bot (1–5)"},
		{Record{Feedback: &Feedback{ID: "F", Survey: "poll", Score: 1, At: when}}, `survey: unknown survey "poll"`},
		{Record{Feedback: &Feedback{ID: "F", Survey: "csat", Score: 3, At: when, Sentiment: &bad}}, "sentiment: 1.5 is outside"},
		{Record{Feedback: &Feedback{ID: "F", Survey: "csat", Score: 3}}, "feedback F: at: is required"},
		{Record{Feedback: &Feedback{ID: "F", Survey: "csat", Score: 3, At: when, Kind: "random"}}, `survey_kind: unknown kind "random"`},
		{Record{Event: &Event{ID: "E", Type: EventDigitalLogin, At: when}}, ""},
		{Record{Event: &Event{ID: "E", Type: "click", At: when}}, `type: unknown event type "click"`},
		{Record{Event: &Event{ID: "E", Type: EventOrderPlaced, At: when}}, "order_id: is required"},
		{Record{Event: &Event{ID: "E", Type: EventOrderProcessed, At: when, OrderID: "O"}}, "placed_at: is required"},
		{Record{Event: &Event{ID: "E", Type: EventOrderProcessed, At: when, OrderID: "O", PlacedAt: when.Add(time.Hour)}}, "placed_at: 2026-11-02T10:30:00Z is after"},
		{Record{Event: &Event{ID: "E", Type: EventPurchase, At: when, Amount: -5}}, "amount: -5 is negative"},
	} {
		err := CheckRecord(tc.rec)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: unexpected error %v", AppendRecord(nil, tc.rec), err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: err %v, want %q", AppendRecord(nil, tc.rec), err, tc.want)
		}
	}
}

func TestDefaultTaxonomy(t *testing.T) {
	tax := DefaultTaxonomy()
	if len(tax.Statuses) != 3 || len(tax.Types) != 5 || tax.SubTypeCount() != 17 || len(tax.Sources) != 10 {
		t.Fatalf("defaults: %d statuses, %d types, %d sub-types, %d sources; want 3, 5, 17, 10",
			len(tax.Statuses), len(tax.Types), tax.SubTypeCount(), len(tax.Sources))
	}
	if err := tax.Check(); err != nil {
		t.Fatal(err)
	}
	if got := tax.SLADue(PriorityHigh, when); !got.Equal(when.Add(24 * time.Hour)) {
		t.Fatalf("high SLA due %v", got)
	}
	if tax.PriorityRank(PriorityUrgent) != 0 || tax.PriorityRank("p9") != len(tax.Priorities) {
		t.Fatal("priority ranks")
	}
}
