package model

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

var when = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)

func sampleTicket() *Ticket {
	return &Ticket{
		ID: "T1", System: "zendesk", ExternalID: "981", Subject: "Giao hàng trễ \"3 ngày\"\n\x1b[31mred\u2028",
		Status: StatusDone, Type: "complaint", SubType: "late_delivery", Source: "zalo_oa", Priority: PriorityHigh,
		Department: "customer_care", Assignee: "lan", CustomerID: "C1", Segment: "vip", Touchpoint: "delivery",
		CreatedAt: when, FirstResponseAt: when.Add(time.Hour), ResolvedAt: when.Add(5 * time.Hour),
		UpdatedAt: when.Add(5 * time.Hour), SLADueAt: when.Add(24 * time.Hour), Escalated: true,
		Tags: []string{"vip", "delivery"}, Version: 3,
		History: []Change{{At: when, By: "system", Field: "status", New: "new"}},
	}
}

func TestRecordRoundTrip(t *testing.T) {
	s := 0.25
	recs := []Record{
		{Ticket: sampleTicket()},
		{Ticket: &Ticket{ID: "T2", Status: StatusNew, Type: "suggestion", Source: "email", Priority: PriorityLow, CreatedAt: when}},
		{Feedback: &Feedback{ID: "F1", Survey: SurveyNPS, Score: 0, At: when, TicketID: "T1", Sentiment: &s, Kind: KindRelationship}},
		{Feedback: &Feedback{ID: "F2", Survey: SurveyCSAT, Score: 5, At: when.Add(1500 * time.Millisecond)}},
		{Event: &Event{ID: "E1", Type: EventPurchase, At: when, Amount: 0, Digital: true}},
		{Event: &Event{ID: "E2", Type: EventOrderProcessed, At: when, OrderID: "O1", PlacedAt: when.Add(-48 * time.Hour)}},
	}
	for _, r := range recs {
		line := AppendRecord(nil, r)
		if !json.Valid(line) {
			t.Fatalf("%s %s: invalid JSON: %s", r.Kind(), r.ID(), line)
		}
		if strings.ContainsAny(string(line), "\n\x1b") {
			t.Fatalf("raw control characters in %s", line)
		}
		back, err := ParseRecord(line)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		if again := AppendRecord(nil, back); string(again) != string(line) {
			t.Fatalf("not canonical:\n%s\n%s", line, again)
		}
	}
}

func TestExportKeys(t *testing.T) {
	for _, tc := range []struct {
		rec  Record
		keys string
	}{
		{Record{Ticket: sampleTicket()}, "kind id status type subtype source priority department assignee customer_id segment touchpoint subject created_at first_response_at resolved_at sla_due_at escalated"},
		{Record{Feedback: &Feedback{ID: "F", Survey: "csat", Score: 4, At: when}}, "kind id survey score at customer_id segment touchpoint ticket_id sentiment"},
		{Record{Event: &Event{ID: "E", Type: EventDigitalLogin, At: when}}, "kind id type at customer_id segment variant order_id amount digital"},
	} {
		line := string(AppendRecord(nil, tc.rec))
		var prefix strings.Builder
		for i, k := range strings.Fields(tc.keys) {
			if i > 0 {
				prefix.WriteString(`.*,`)
			}
			prefix.WriteString(`"` + k + `":`)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		last := -1
		for _, k := range strings.Fields(tc.keys) {
			i := strings.Index(line, `"`+k+`":`)
			if i < 0 || i < last {
				t.Fatalf("%s: key %q missing or out of order in %s", tc.rec.Kind(), k, line)
			}
			last = i
		}
	}
	line := string(AppendRecord(nil, Record{Feedback: &Feedback{ID: "F", Survey: "csat", Score: 4, At: when}}))
	for _, want := range []string{`"ticket_id":null`, `"sentiment":null`, `"at":"2026-11-02T09:30:00Z"`} {
		if !strings.Contains(line, want) {
			t.Errorf("%s lacks %s", line, want)
		}
	}
	tl := string(AppendRecord(nil, Record{Ticket: &Ticket{ID: "T", CreatedAt: when}}))
	if !strings.Contains(tl, `"resolved_at":null`) {
		t.Errorf("unset time should be null: %s", tl)
	}
}

func TestParseRecordErrors(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{``, "empty line"},
		{`[1,2]`, "not a JSON object"},
		{`{"kind":"ticket","id":"T1"`, "truncated"},
		{`{"id":"T1"}`, `missing key "kind"`},
		{`{"kind":"order"}`, `unknown kind "order"`},
		{`{"kind":"ticket","id":"T1","colour":"red"}`, `unknown key "colour"`},
		{`{"kind":"ticket","id":7}`, `key "id": got a JSON number, want a string`},
		{`{"kind":"ticket","id":"T1","created_at":"yesterday"}`, `key "created_at": "yesterday" is not an RFC 3339 time`},
		{`{"kind":"feedback","id":"F1","survey":"csat","at":"2026-01-01T00:00:00Z"}`, `missing key "score"`},
		{`{"kind":"event","id":"E1","amount":"12"}`, `key "amount": got a JSON string, want a number`},
		{`{"kind":"event","id":"E1"} {"kind":"event"}`, "more than one JSON value"},
	} {
		_, err := ParseRecord([]byte(tc.line))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseRecord(%q) = %v, want error containing %q", tc.line, err, tc.want)
		}
	}
}

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", "quote\" back\\slash", "\x00\x01\x1f\t\r\n", "é ü 中文 🙂", "\u2028\u2029", "bad \xff utf8", "<&>"} {
		got := appendJSONString(nil, s)
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("%q encoded as invalid JSON %s: %v", s, got, err)
		}
		want := strings.ToValidUTF8(s, "\ufffd")
		if back != want {
			t.Errorf("%q → %s → %q", s, got, back)
		}
	}
}
