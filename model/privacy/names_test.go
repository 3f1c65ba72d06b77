package privacy

import (
	"strings"
	"testing"

	"github.com/cxtop/cxtop/model"
)

// TestNamesReplaceWholeWords: the names of a set are found as whole words,
// in any case, the longest first; parts of words, short names and machine
// actors stay.
func TestNamesReplaceWholeWords(t *testing.T) {
	ns := NewNames()
	for _, n := range []string{"Nguyen Van An", "Nguyen Van", "C-nguyen.van.an", "Lan", "C000144", "An", "system", "Trần Thị Mai"} {
		ns.Add(n)
	}
	if ns.Len() != 6 {
		t.Fatalf("%d names, want 6 (a two-letter name and a machine actor are not kept)", ns.Len())
	}
	mark := func(s string) string { return "<" + s + ">" }
	for _, tc := range []struct{ in, want string }{
		{"ask NGUYEN VAN AN today", "ask <NGUYEN VAN AN> today"},
		{"Nguyen Van said so", "<Nguyen Van> said so"},
		{"Nguyen alone stays", "Nguyen alone stays"},
		{"see C-nguyen.van.an, and C000144's order", "see <C-nguyen.van.an>, and <C000144>'s order"},
		{"Lantern and Lan.", "Lantern and <Lan>."},
		{"An and system stay", "An and system stay"},
		{"gọi TRẦN THỊ MAI", "gọi <TRẦN THỊ MAI>"},
		{"C0001440 is another id", "C0001440 is another id"},
		{"", ""},
	} {
		if got := ns.Replace(tc.in, mark); got != tc.want {
			t.Errorf("Replace(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestKnownNamesReachEveryRecord: a name introduced in one record, a
// customer id and a member of staff of others, are masked in a record that
// only mentions them, once the masker knows every record's names.
func TestKnownNamesReachEveryRecord(t *testing.T) {
	first := &model.Ticket{ID: "T1", CustomerID: "C000144", Assignee: "Tran Thi Mai", Description: "My name is Nguyen Van An"}
	other := &model.Ticket{ID: "T2", CustomerID: "C000145", Subject: "same as nguyen van an, C000144 and Tran Thi Mai"}
	fb := &model.Feedback{ID: "F1", CustomerID: "C000146", Comment: "Tran Thi Mai was kind"}
	ns := NewNames()
	for _, r := range []model.Record{{Ticket: first}, {Ticket: other}, {Feedback: fb}} {
		ns.AddRecord(r)
	}
	m := testMasker(t, 1)
	m.KnowNames(ns)
	m.Ticket(other)
	m.Feedback(fb)
	for _, text := range []string{other.Subject, fb.Comment} {
		for _, gone := range []string{"nguyen van an", "C000144", "Tran Thi Mai"} {
			if strings.Contains(text, gone) {
				t.Errorf("%q still holds %q", text, gone)
			}
		}
	}
	if !strings.Contains(other.Subject, "same as [name ") {
		t.Errorf("subject %q: the text around the names is gone", other.Subject)
	}
}
