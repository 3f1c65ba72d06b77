package model

import (
	"strings"
	"testing"
	"time"
)

// Two ids that differ only in bytes that are not UTF-8 used to become one
// record; now the line is refused and says where.
func TestParseRecordRefusesInvalidUTF8(t *testing.T) {
	good := `{"kind":"event","id":"E1","type":"digital_login","at":"2026-01-01T00:00:00Z"}`
	for _, tc := range []struct{ line, want string }{
		{strings.Replace(good, `"E1"`, "\"E1\xff\"", 1), "invalid UTF-8 at byte 24"},
		{strings.Replace(good, `"E1"`, `"E1\udc00"`, 1), "unpaired surrogate"},
		{strings.Replace(good, `"E1"`, `"E1\ud800x"`, 1), "unpaired surrogate"},
		{strings.Replace(good, `"E1"`, `"E1\ud800\u0041"`, 1), "unpaired surrogate"},
	} {
		if _, err := ParseRecord([]byte(tc.line)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseRecord(%q) = %v, want %q", tc.line, err, tc.want)
		}
	}
	for _, ok := range []string{
		strings.Replace(good, `"E1"`, `"E1\ud83d\ude00"`, 1), // a pair: 😀
		strings.Replace(good, `"E1"`, `"E1\\ud800"`, 1),      // an escaped backslash, then text
		strings.Replace(good, `"E1"`, `"E1 Nguyễn"`, 1),
	} {
		if _, err := ParseRecord([]byte(ok)); err != nil {
			t.Errorf("ParseRecord(%q) = %v", ok, err)
		}
	}
}

// largestTicket is a ticket at every bound of limits.go, with text that
// needs the longest escapes.
func largestTicket() *Ticket {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	worst := func(n int) string { return strings.Repeat("\x01", n) } // escaped as \u0001: 6 bytes each
	key := strings.Repeat("k", MaxKeyLen)
	t := &Ticket{ID: key, System: key, ExternalID: key, Subject: worst(MaxSubjectLen), Description: worst(MaxDescriptionLen),
		Status: StatusNew, Type: "complaint", SubType: "late_delivery", Source: "email", Priority: "normal",
		Department: key, Assignee: key, CustomerID: key, Segment: key, Touchpoint: key, CreatedAt: at, UpdatedAt: at, SLADueAt: at}
	for range MaxTags {
		t.Tags = append(t.Tags, key)
	}
	for range MaxHistory {
		t.History = append(t.History, Change{At: at, By: key, Field: key, Old: worst(MaxNoteLen), New: worst(MaxNoteLen)})
	}
	return t
}

// The largest record the model allows exports as a line import reads back.
func TestLargestRecordRoundTrips(t *testing.T) {
	tk := largestTicket()
	if err := CheckTicket(tk); err != nil {
		t.Fatalf("the largest ticket is not valid: %v", err)
	}
	line := AppendTicket(nil, tk)
	if len(line) > MaxRecordBytes {
		t.Fatalf("the largest ticket exports as %d bytes, over MaxRecordBytes %d", len(line), MaxRecordBytes)
	}
	r, err := ParseRecord(line)
	if err != nil || len(r.Ticket.History) != MaxHistory || r.Ticket.Description != tk.Description {
		t.Fatalf("round trip: %v", err)
	}
	tk.History = append(tk.History, tk.History[0])
	if err := CheckTicket(tk); err == nil || !strings.Contains(err.Error(), "history") {
		t.Fatalf("a history past its bound: %v", err)
	}
}

func TestClip(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"abcdefghij", 8, "abcde…"},
		{"Nguyễn Văn", 9, "Nguy…"},
	} {
		got := Clip(tc.in, tc.n)
		if got != tc.want || len(got) > tc.n {
			t.Errorf("Clip(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
