package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
)

// The detail of a ticket on a store that never synced does not say
// "✓ synced"; a store that pulled from a remote does.
func TestDetailSyncStateOnANeverSyncedStore(t *testing.T) {
	st := testStore(t)
	d := fetchDetail(readerOf(st), "T00000001")
	p := &detailPane{env: &env{rd: readerOf(st), now: func() time.Time { return testNow }}, d: d}
	if got := p.syncState(); !strings.HasPrefix(got, "never synced") {
		t.Errorf("never synced store: %q", got)
	}
	if _, err := st.Update(func(w *store.Writer) error { return w.PutMeta(store.MetaSyncCursor, []byte("42")) }); err != nil {
		t.Fatal(err)
	}
	p.d = fetchDetail(readerOf(st), "T00000001")
	if got := p.syncState(); got != "✓ synced" {
		t.Errorf("synced store: %q", got)
	}
}

// History names line up, however long: every change starts its field in
// the same column.
func TestHistoryColumnsAlign(t *testing.T) {
	at := testNow
	lines := historyLines([]model.Change{
		{At: at, By: "system", Field: "status", New: "new"},
		{At: at, By: "Nguyen Thi Lan", Field: "assignee", Old: "", New: "lan"},
		{At: at, By: "automation", Field: "escalated", Old: "false", New: "true"},
	}, 120)
	col := -1
	for _, l := range lines {
		i := strings.Index(l, "status")
		if i < 0 {
			i = strings.Index(l, "assignee")
		}
		if i < 0 {
			i = strings.Index(l, "escalated")
		}
		if col >= 0 && i != col {
			t.Errorf("field column %d, want %d:\n%s", i, col, strings.Join(lines, "\n"))
		}
		col = i
	}
}

// An escalation ticket shows the chatbot rating that made it.
func TestEscalationTicketShowsItsRating(t *testing.T) {
	st := testStore(t)
	f := &model.Feedback{ID: "F77", Survey: model.SurveyBot, Score: 1, At: testNow.Add(-time.Hour), CustomerID: "C1",
		Kind: model.KindChatbot, Comment: "useless bot"}
	esc := &model.Ticket{ID: "esc-F77", Subject: "Chatbot conversation rated 1★", Status: model.StatusNew, Type: "complaint",
		Source: "chatbot", Priority: model.PriorityHigh, CustomerID: "C1", CreatedAt: testNow.Add(-time.Hour), UpdatedAt: testNow.Add(-time.Hour),
		Escalated: true, Version: 1, History: []model.Change{{At: testNow.Add(-time.Hour), By: "automation", Field: "status", New: model.StatusNew}}}
	if _, err := st.Write([]model.Record{{Feedback: f}, {Ticket: esc}}); err != nil {
		t.Fatal(err)
	}
	d := fetchDetail(readerOf(st), "esc-F77")
	if d.err != nil || len(d.feedback) != 1 || d.feedback[0].ID != "F77" {
		t.Fatalf("the escalation's feedback: %+v %v", d.feedback, d.err)
	}
	if got := strings.Join(feedbackLines(d.feedback, 100), "\n"); !strings.Contains(got, "chatbot   1") || !strings.Contains(got, "useless bot") {
		t.Errorf("the rating is not shown: %q", got)
	}
}
