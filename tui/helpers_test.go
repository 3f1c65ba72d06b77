package tui

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
)

var testNow = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func testStore(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "cx.db"), store.Options{Create: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	var recs []model.Record
	// Four tickets of the last day and one open for twelve days, past
	// the closed-loop limit (it raises an alert).
	for i, subj := range []string{"Order #1 late", "Refund \x1b[31mmissing\x1b[0m", "App crashes", "Voucher not applied", "Exchange never arrived"} {
		created := testNow.Add(-time.Duration(10+i*7) * time.Hour)
		typ, sub, src := "complaint", "late_delivery", "zalo_oa"
		if i == 4 {
			created = testNow.Add(-12 * 24 * time.Hour)
			typ, sub, src = "return_exchange", "exchange_request", "email"
		}
		recs = append(recs, model.Record{Ticket: &model.Ticket{
			ID: "T0000000" + string(rune('1'+i)), Subject: subj, Status: model.StatusNew, Type: typ,
			SubType: sub, Source: src, Priority: model.PriorityHigh, Department: "customer_care",
			CustomerID: "C000042", Segment: "vip", CreatedAt: created, UpdatedAt: created,
			SLADueAt: created.Add(24 * time.Hour), Version: 1,
			History: []model.Change{{At: created, By: "system", Field: "status", New: model.StatusNew}},
		}})
	}
	s5 := 0.5
	recs = append(recs,
		model.Record{Feedback: &model.Feedback{ID: "F1", Survey: model.SurveyCSAT, Score: 5, At: testNow.Add(-2 * time.Hour),
			CustomerID: "C000042", Segment: "vip", TicketID: "T00000001", Sentiment: &s5}},
		model.Record{Feedback: &model.Feedback{ID: "F2", Survey: model.SurveyBot, Score: 2, At: testNow.Add(-3 * time.Hour),
			CustomerID: "C000042", Segment: "vip", TicketID: "T00000001", Kind: model.KindChatbot, Comment: "bot did not understand"}},
		model.Record{Feedback: &model.Feedback{ID: "F3", Survey: model.SurveyNPS, Score: 4, At: testNow.Add(-30 * time.Hour),
			CustomerID: "C000042", Segment: "vip", Kind: model.KindRelationship}},
	)
	if _, err := s.Write(recs); err != nil {
		t.Fatal(err)
	}
	// A KPI alert as an earlier evaluation left it.
	_, err = s.Update(func(w *store.Writer) error {
		return w.PutAlert(alert.Alert{Key: "csat_drop", Rule: "csat_drop", Severity: alert.Critical, State: alert.Firing,
			Message: "CSAT dropped 7.5% vs the previous 1d (limit 5%)", Value: 0.075,
			FiredAt: testNow.Add(-90 * time.Minute), UpdatedAt: testNow.Add(-90 * time.Minute)})
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// readerOf is the read-only view of st a session gets from its engine.
func readerOf(st *store.Store) engine.Reader {
	return engine.New(st, engine.Options{ReadOnly: true}).Reader()
}
