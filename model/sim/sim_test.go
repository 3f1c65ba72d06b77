package sim

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
)

var testEnd = time.Date(2026, 3, 1, 13, 45, 30, 0, time.UTC)

// collect runs Generate and returns every record, checking batch sizes.
func collect(t testing.TB, o Options) []model.Record {
	t.Helper()
	size := o.BatchSize
	if size <= 0 {
		size = DefaultBatchSize
	}
	var all []model.Record
	err := Generate(o, func(b []model.Record) error {
		if len(b) == 0 || len(b) > size {
			t.Fatalf("batch of %d records (batch size %d)", len(b), size)
		}
		all = append(all, b...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// encode is the canonical export encoding of the records.
func encode(rs []model.Record) []byte {
	var b []byte
	for _, r := range rs {
		b = model.AppendRecord(b, r)
		b = append(b, '\n')
	}
	return b
}

var (
	defaultOnce sync.Once
	defaultRun  []model.Record
)

// defaultHistory is the default 90-day history (about 36,000 tickets),
// generated once for the tests that only read it.
func defaultHistory(t *testing.T) []model.Record {
	defaultOnce.Do(func() {
		defaultRun = collect(t, Options{Seed: 7, End: testEnd, Taxonomy: model.DefaultTaxonomy()})
	})
	if defaultRun == nil {
		t.Fatal("default history failed")
	}
	return defaultRun
}

func recordTime(r model.Record) time.Time {
	switch {
	case r.Ticket != nil:
		return r.Ticket.CreatedAt
	case r.Feedback != nil:
		return r.Feedback.At
	}
	return r.Event.At
}

func TestGenerateDeterministic(t *testing.T) {
	o := Options{Seed: 42, End: testEnd, Days: 14, Tickets: 3000, Taxonomy: model.DefaultTaxonomy(), BatchSize: 333}
	a, b := encode(collect(t, o)), encode(collect(t, o))
	if !bytes.Equal(a, b) {
		t.Fatal("same options gave different bytes")
	}
	o.BatchSize = 1000 // the batch size does not change the records
	if c := encode(collect(t, o)); !bytes.Equal(a, c) {
		t.Fatal("another batch size gave different records")
	}
	o.Seed = 43
	if c := encode(collect(t, o)); bytes.Equal(a, c) {
		t.Fatal("another seed gave the same bytes")
	}
	o.Seed = 42
	o.End = o.End.Add(time.Hour)
	if c := encode(collect(t, o)); bytes.Equal(a, c) {
		t.Fatal("another end gave the same bytes")
	}
}

var (
	ticketID   = regexp.MustCompile(`^T\d{8}$`)
	feedbackID = regexp.MustCompile(`^F\d{8}$`)
	eventID    = regexp.MustCompile(`^E\d{9}$`)
	customerID = regexp.MustCompile(`^C\d{6}$`)
	orderID    = regexp.MustCompile(`^O\d{8}$`)
)

func wholeUTC(tm time.Time) bool {
	return tm.IsZero() || tm.Nanosecond() == 0 && tm.Location() == time.UTC
}

// TestGenerateValid checks every record of the default history: it
// validates, lies in [End−Days, End], comes in time order, has a unique id
// of the right form, and its references and history are consistent.
func TestGenerateValid(t *testing.T) {
	tax := model.DefaultTaxonomy()
	recs := defaultHistory(t)
	start := testEnd.Add(-DefaultDays * 24 * time.Hour)
	seen := map[string]bool{}
	tickets := map[string]bool{}
	orders := map[string]time.Time{}
	var last time.Time
	var nt int
	detractors, followUps := map[string]*model.Feedback{}, map[string]*model.Ticket{}
	for i, r := range recs {
		if err := tax.Validate(r); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		at := recordTime(r)
		if at.Before(start) || at.After(testEnd) {
			t.Fatalf("%s %s at %s outside [%s, %s]", r.Kind(), r.ID(), at, start, testEnd)
		}
		if at.Before(last) {
			t.Fatalf("%s %s at %s comes after a record at %s", r.Kind(), r.ID(), at, last)
		}
		last = at
		key := r.Kind() + "/" + r.ID()
		if seen[key] {
			t.Fatalf("duplicate %s", key)
		}
		seen[key] = true
		switch {
		case r.Ticket != nil:
			if f, ok := alert.FollowUpOf(r.Ticket.ID); ok {
				followUps[f] = r.Ticket
			} else {
				nt++
			}
			checkTicket(t, &tax, r.Ticket, testEnd)
			tickets[r.Ticket.ID] = true
		case r.Feedback != nil:
			f := r.Feedback
			if f.Survey == model.SurveyNPS && f.Score <= 6 {
				detractors[f.ID] = f
			}
			if !feedbackID.MatchString(f.ID) || !customerID.MatchString(f.CustomerID) || !wholeUTC(f.At) {
				t.Fatalf("feedback %+v: bad id, customer or time", f)
			}
			if f.TicketID != "" && !tickets[f.TicketID] {
				t.Fatalf("feedback %s names ticket %s, not emitted before it", f.ID, f.TicketID)
			}
			if f.Kind == model.KindPostResolution && f.TicketID == "" {
				t.Fatalf("post-resolution feedback %s has no ticket", f.ID)
			}
			if (f.Survey == model.SurveyBot) != (f.Kind == model.KindChatbot) {
				t.Fatalf("feedback %s: survey %s with kind %s", f.ID, f.Survey, f.Kind)
			}
			if f.Survey == model.SurveyBot && f.Sentiment == nil {
				t.Fatalf("chatbot rating %s has no sentiment", f.ID)
			}
		case r.Event != nil:
			e := r.Event
			if !eventID.MatchString(e.ID) || !customerID.MatchString(e.CustomerID) || !wholeUTC(e.At) || !wholeUTC(e.PlacedAt) {
				t.Fatalf("event %+v: bad id, customer or time", e)
			}
			switch e.Type {
			case model.EventOrderPlaced:
				if !orderID.MatchString(e.OrderID) {
					t.Fatalf("event %s: order id %q", e.ID, e.OrderID)
				}
				orders[e.OrderID] = e.At
			case model.EventOrderProcessed:
				if placed, ok := orders[e.OrderID]; !ok || !placed.Equal(e.PlacedAt) {
					t.Fatalf("event %s: processed order %s placed at %s, seen placed at %v (%v)", e.ID, e.OrderID, e.PlacedAt, placed, ok)
				}
			case model.EventPurchase:
				if e.Amount <= 0 || e.Amount%1000 != 0 {
					t.Fatalf("event %s: amount %d", e.ID, e.Amount)
				}
			}
			if model.IsForm(e.Type) != (e.Variant != "") {
				t.Fatalf("event %s %s: variant %q", e.ID, e.Type, e.Variant)
			}
		}
	}
	if nt != DefaultDailyRate*DefaultDays {
		t.Fatalf("%d tickets by default, want %d", nt, DefaultDailyRate*DefaultDays)
	}
	checkFollowUps(t, detractors, followUps)
}

// checkTicket checks a ticket's own consistency as of now.
func checkTicket(t *testing.T, tax *model.Taxonomy, tk *model.Ticket, now time.Time) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("ticket %s: %s", tk.ID, fmt.Sprintf(format, args...))
	}
	if tk.System != "sim" || tk.ExternalID != tk.ID || tk.Subject == "" || tk.Description == "" {
		fail("system %q, external id %q, subject %q", tk.System, tk.ExternalID, tk.Subject)
	}
	if !customerID.MatchString(tk.CustomerID) || !slices.Contains(segmentNames[:], tk.Segment) ||
		!slices.Contains(touchpoints, tk.Touchpoint) || tk.Department == "" {
		fail("customer %q, segment %q, touchpoint %q, department %q", tk.CustomerID, tk.Segment, tk.Touchpoint, tk.Department)
	}
	for _, tm := range []time.Time{tk.CreatedAt, tk.FirstResponseAt, tk.ResolvedAt, tk.UpdatedAt, tk.SLADueAt} {
		if !wholeUTC(tm) {
			fail("time %v is not whole seconds UTC", tm)
		}
	}
	want := tax.SLADue(tk.Priority, tk.CreatedAt)
	if strings.HasPrefix(tk.ID, alert.FollowUpPrefix) {
		want = tk.CreatedAt.Add(24 * time.Hour) // the detractor rule's limit, not the priority's SLA
	}
	if !tk.SLADueAt.Equal(want) {
		fail("sla due %s, want %s", tk.SLADueAt, want)
	}
	if tk.Version != uint64(len(tk.History)) || len(tk.History) == 0 {
		fail("version %d with %d history entries", tk.Version, len(tk.History))
	}
	h0 := tk.History[0]
	if h0 != (model.Change{At: tk.CreatedAt, By: "system", Field: "status", New: model.StatusNew}) {
		fail("first history entry %+v", h0)
	}
	if last := tk.History[len(tk.History)-1]; !tk.UpdatedAt.Equal(last.At) || last.At.After(now) {
		fail("updated at %s, last history entry at %s, now %s", tk.UpdatedAt, last.At, now)
	}
	status, assignee, escalated := model.StatusNew, "", false
	var resolved time.Time
	for i, c := range tk.History {
		if i > 0 && c.At.Before(tk.History[i-1].At) {
			fail("history out of order: %+v", tk.History)
		}
		switch c.Field {
		case "status":
			if i > 0 && c.Old != status {
				fail("status change %+v from %q", c, status)
			}
			status = c.New
			if status == model.StatusDone {
				resolved = c.At
			}
		case "assignee":
			assignee = c.New
		case "escalated":
			escalated = c.New == "true"
		}
	}
	if status != tk.Status || assignee != tk.Assignee || escalated != tk.Escalated || !resolved.Equal(tk.ResolvedAt) {
		fail("fields (%s, %q, %v, %s) disagree with history %+v", tk.Status, tk.Assignee, tk.Escalated, tk.ResolvedAt, tk.History)
	}
	if tk.Status == model.StatusDone && (tk.ResolvedAt.After(now) || tk.FirstResponseAt.IsZero() || tk.ResolvedAt.Before(tk.FirstResponseAt)) {
		fail("done: first response %s, resolved %s, now %s", tk.FirstResponseAt, tk.ResolvedAt, now)
	}
	if tk.Status == model.StatusNew && !tk.FirstResponseAt.IsZero() && tax.HasStatus(model.StatusInProgress) {
		fail("new ticket answered at %s", tk.FirstResponseAt)
	}
	if tk.Status == model.StatusInProgress && tk.FirstResponseAt.IsZero() {
		fail("in progress without a first response")
	}
}

func TestGenerateTicketCount(t *testing.T) {
	for _, tc := range []struct{ days, tickets int }{{7, 1234}, {30, 5}, {1, 777}, {3, 1}} {
		recs := collect(t, Options{Seed: 3, End: testEnd, Days: tc.days, Tickets: tc.tickets, Taxonomy: model.DefaultTaxonomy()})
		n := 0
		start := testEnd.Add(-time.Duration(tc.days) * 24 * time.Hour)
		for _, r := range recs {
			if r.Ticket != nil && !strings.HasPrefix(r.ID(), alert.FollowUpPrefix) {
				n++
			}
			if at := recordTime(r); at.Before(start) || at.After(testEnd) {
				t.Fatalf("days %d: %s %s at %s", tc.days, r.Kind(), r.ID(), at)
			}
		}
		if n != tc.tickets {
			t.Errorf("days %d tickets %d: generated %d tickets", tc.days, tc.tickets, n)
		}
	}
}

// TestGenerateDefaultSubTypes: every default sub-type appears in 5,000
// tickets, but with skew.
func TestGenerateDefaultSubTypes(t *testing.T) {
	tax := model.DefaultTaxonomy()
	counts := map[string]int{}
	sources := map[string]int{}
	for _, r := range collect(t, Options{Seed: 11, End: testEnd, Days: 30, Tickets: 5000, Taxonomy: tax}) {
		if r.Ticket != nil {
			counts[r.Ticket.Type+"/"+r.Ticket.SubType]++
			sources[r.Ticket.Source]++
		}
	}
	for _, tt := range tax.Types {
		for _, st := range tt.SubTypes {
			if counts[tt.Name+"/"+st] == 0 {
				t.Errorf("sub-type %s/%s never generated", tt.Name, st)
			}
		}
	}
	for _, s := range tax.Sources {
		if sources[s] == 0 {
			t.Errorf("source %s never generated", s)
		}
	}
	if counts["complaint/late_delivery"] < 3*counts["suggestion/app_feature"] {
		t.Errorf("no skew: %d late deliveries, %d app feature suggestions", counts["complaint/late_delivery"], counts["suggestion/app_feature"])
	}
	if sources["zalo_oa"] < 3*sources["store"] {
		t.Errorf("no channel skew: zalo_oa %d, store %d", sources["zalo_oa"], sources["store"])
	}
}

// TestGenerateDistributions checks the default history looks like the
// operation it models and exercises the KPIs.
func TestGenerateDistributions(t *testing.T) {
	recs := defaultHistory(t)
	var (
		tickets, feedback, events, escalated, done, inSLA, withSLA int
		csatGood, csatN, npsP, npsD, npsN, botLow, botN            int
		peak, night, weekday, weekend                              int
		open10                                                     int
		resolvedSec                                                float64
		forms                                                      = map[string][2]int{}
		procEarly, procLate                                        [2]float64
		digitalEarly, digitalLate                                  [2]int
		csatByDay                                                  = map[int64][2]int{}
		prio                                                       = map[string]int{}
		segRevenue                                                 [4]float64
	)
	start := testEnd.Add(-DefaultDays * 24 * time.Hour)
	third := testEnd.Sub(start) / 3
	for _, r := range recs {
		switch {
		case r.Ticket != nil:
			tk := r.Ticket
			tickets++
			prio[tk.Priority]++
			if tk.Escalated {
				escalated++
			}
			if tk.Status == model.StatusDone {
				done++
				resolvedSec += tk.ResolvedAt.Sub(tk.CreatedAt).Seconds()
				withSLA++
				if !tk.ResolvedAt.After(tk.SLADueAt) {
					inSLA++
				}
			} else if testEnd.Sub(tk.CreatedAt) > 10*24*time.Hour {
				open10++
			}
			local := tk.CreatedAt.Add(7 * time.Hour)
			switch h := local.Hour(); {
			case h >= 9 && h < 11 || h >= 19 && h < 21:
				peak++
			case h >= 1 && h < 5:
				night++
			}
			if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday {
				weekend++
			} else {
				weekday++
			}
		case r.Feedback != nil:
			f := r.Feedback
			feedback++
			switch f.Survey {
			case model.SurveyCSAT:
				csatN++
				d := csatByDay[f.At.Unix()/86400]
				d[1]++
				if f.Score >= 4 {
					csatGood++
					d[0]++
				}
				csatByDay[f.At.Unix()/86400] = d
			case model.SurveyNPS:
				npsN++
				switch model.NPSCategory(f.Score) {
				case "promoter":
					npsP++
				case "detractor":
					npsD++
				}
			case model.SurveyBot:
				botN++
				if f.Score < 3 {
					botLow++
				}
			}
		case r.Event != nil:
			e := r.Event
			events++
			early := e.At.Before(start.Add(third))
			late := e.At.After(testEnd.Add(-third))
			switch e.Type {
			case model.EventFormStarted, model.EventFormAbandoned:
				c := forms[e.Variant]
				if e.Type == model.EventFormStarted {
					c[0]++
				} else {
					c[1]++
				}
				forms[e.Variant] = c
			case model.EventOrderProcessed:
				d := e.At.Sub(e.PlacedAt).Hours() / 24
				if e.PlacedAt.Before(start.Add(third)) {
					procEarly[0] += d
					procEarly[1]++
				} else if e.PlacedAt.After(testEnd.Add(-third)) {
					procLate[0] += d
					procLate[1]++
				}
			case model.EventPurchase:
				seg := slices.Index(segmentNames[:], e.Segment)
				segRevenue[seg] += float64(e.Amount)
				c := &digitalLate
				if early {
					c = &digitalEarly
				} else if !late {
					continue
				}
				c[1]++
				if e.Digital {
					c[0]++
				}
			}
		}
	}
	share := func(a, b int) float64 { return float64(a) / float64(b) }
	in := func(name string, v, lo, hi float64) {
		t.Helper()
		if v < lo || v > hi {
			t.Errorf("%s = %.3f, want within [%.3f, %.3f]", name, v, lo, hi)
		}
	}
	in("feedback per ticket", share(feedback, tickets), 0.6, 1)
	in("events per ticket", share(events, tickets), 2, 3)
	in("CSAT (share of 4-5)", share(csatGood, csatN), 0.7, 0.95)
	in("NPS", 100*(share(npsP, npsN)-share(npsD, npsN)), 10, 45)
	in("chatbot ratings below 3", share(botLow, botN), 0.08, 0.25)
	in("escalated", share(escalated, tickets), 0.015, 0.06)
	in("SLA breached", 1-share(inSLA, withSLA), 0.03, 0.15)
	in("done", share(done, tickets), 0.9, 0.995)
	in("mean handling days", resolvedSec/float64(done)/86400, 0.6, 1.6)
	in("urgent share", share(prio[model.PriorityUrgent], tickets), 0.03, 0.08)
	in("normal share", share(prio[model.PriorityNormal], tickets), 0.45, 0.65)
	// Peak hours (4 of them) bring far more than the 4 night hours.
	in("peak/night tickets", share(peak, night), 5, 100)
	// Per day, weekends are quieter (2 weekend days for 5 weekdays).
	in("weekend/weekday daily tickets", share(weekend, 2)/share(weekday, 5), 0.5, 0.9)
	if open10 == 0 {
		t.Error("no ticket open longer than 10 days")
	}
	a, b := forms["A"], forms["B"]
	in("form abandonment A", share(a[1], a[0]), 0.25, 0.35)
	in("form abandonment B", share(b[1], b[0]), 0.15, 0.25)
	in("early order processing days", procEarly[0]/procEarly[1], 3, 6)
	in("late order processing days", procLate[0]/procLate[1], 0.7, 2)
	if de, dl := share(digitalEarly[0], digitalEarly[1]), share(digitalLate[0], digitalLate[1]); dl < de+0.05 {
		t.Errorf("digital purchase share does not grow: %.2f early, %.2f late", de, dl)
	}
	if segRevenue[0] == 0 || segRevenue[0]/segmentShare[0] < 2*segRevenue[2]/segmentShare[2] {
		t.Errorf("VIPs do not spend more: revenue by segment %v", segRevenue)
	}
	// The incident: some day's CSAT is well below the period's.
	overall, worst, good := share(csatGood, csatN), 1.0, 0
	for _, d := range csatByDay {
		if d[1] >= 50 {
			worst = min(worst, share(d[0], d[1]))
			if share(d[0], d[1]) >= 0.85 {
				good++
			}
		}
	}
	if worst > overall-0.1 {
		t.Errorf("no CSAT dip: worst day %.2f, overall %.2f", worst, overall)
	}
	if good == 0 || good == len(csatByDay) {
		t.Errorf("CSAT target met on %d of %d days: want some but not all", good, len(csatByDay))
	}
}

// TestPromotersSpendMore: customers who answer NPS as promoters spend more
// per purchase than detractors.
func TestPromotersSpendMore(t *testing.T) {
	cat := map[string]string{}
	spend := map[string][2]float64{}
	for _, r := range defaultHistory(t) {
		if f := r.Feedback; f != nil && f.Survey == model.SurveyNPS {
			cat[f.CustomerID] = model.NPSCategory(f.Score)
		}
	}
	for _, r := range defaultHistory(t) {
		if e := r.Event; e != nil && e.Type == model.EventPurchase {
			if c, ok := cat[e.CustomerID]; ok {
				s := spend[c]
				s[0] += float64(e.Amount)
				s[1]++
				spend[c] = s
			}
		}
	}
	p, d := spend["promoter"], spend["detractor"]
	if p[1] == 0 || d[1] == 0 || p[0]/p[1] < 1.1*d[0]/d[1] {
		t.Fatalf("promoters spend %.0f per purchase, detractors %.0f", p[0]/p[1], d[0]/d[1])
	}
}

func TestGenerateCustomTaxonomy(t *testing.T) {
	tax := model.Taxonomy{
		Statuses: []string{"new", "done"},
		Types: []model.TicketType{
			{Name: "warranty", SubTypes: []string{"repair", "replace"}},
			{Name: "praise"},
			{Name: "complaint", SubTypes: []string{"late_delivery"}},
		},
		Sources:    []string{"phone", "web"},
		Priorities: []string{"p1", "p2", "p3"},
		SLA:        map[string]model.Duration{"p1": {Duration: 8 * time.Hour}},
	}
	types := map[string]int{}
	for _, r := range collect(t, Options{Seed: 5, End: testEnd, Days: 10, Tickets: 900, Taxonomy: tax}) {
		if err := tax.Validate(r); err != nil {
			t.Fatal(err)
		}
		if tk := r.Ticket; tk != nil {
			types[tk.Type+"/"+tk.SubType]++
			checkTicket(t, &tax, tk, testEnd)
		}
	}
	for _, k := range []string{"warranty/repair", "warranty/replace", "praise/", "complaint/late_delivery"} {
		if n := types[k]; n < 100 {
			t.Errorf("%s: %d tickets, want about a third or a sixth of 900", k, n)
		}
	}
	// A subset of the default taxonomy keeps the realistic table.
	sub := model.DefaultTaxonomy()
	sub.Types = sub.Types[:2]
	for _, r := range collect(t, Options{Seed: 5, End: testEnd, Days: 3, Tickets: 300, Taxonomy: sub}) {
		if err := sub.Validate(r); err != nil {
			t.Fatal(err)
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	noop := func([]model.Record) error { return nil }
	if err := Generate(Options{Days: 3}, noop); err == nil {
		t.Error("no error without End")
	}
	if err := Generate(Options{End: testEnd, Days: -1}, noop); err == nil {
		t.Error("no error for negative days")
	}
	bad := model.DefaultTaxonomy()
	bad.Statuses = []string{"open"}
	if err := Generate(Options{End: testEnd, Taxonomy: bad}, noop); err == nil {
		t.Error("no error for a taxonomy without new and done")
	}
	// An empty taxonomy means the default one.
	if err := Generate(Options{End: testEnd, Days: 1, Tickets: 10}, noop); err != nil {
		t.Error(err)
	}
	stop := errors.New("stop")
	calls := 0
	err := Generate(Options{End: testEnd, Days: 5, BatchSize: 100}, func([]model.Record) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("err %v after %d calls, want the emit error after 1", err, calls)
	}
}

// TestGenerateBoundedMemory: the live heap while generating does not grow
// with the length of the history (the records are handed over, not kept).
func TestGenerateBoundedMemory(t *testing.T) {
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	base := heap() // what other tests keep, such as the cached default history
	var peak uint64
	batches := 0
	err := Generate(Options{Seed: 1, End: testEnd, Days: 50, Tickets: 100_000, Taxonomy: model.DefaultTaxonomy()}, func(b []model.Record) error {
		if batches++; batches%100 == 0 {
			if h := heap(); h > base {
				peak = max(peak, h-base)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The ~480,000 records take ~250 MiB; pending follow-ups a few MiB.
	if peak > 32<<20 {
		t.Fatalf("live heap reached %d MiB over %d batches", peak>>20, batches)
	}
	t.Logf("peak live heap %.1f MiB over %d batches", float64(peak)/(1<<20), batches)
}

func BenchmarkGenerate(b *testing.B) {
	o := Options{Seed: 1, End: testEnd, Days: 90, Tickets: 50_000, Taxonomy: model.DefaultTaxonomy()}
	records := 0
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		err := Generate(o, func(batch []model.Record) error {
			records += len(batch)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(records)/time.Since(start).Seconds(), "records/s")
}

// TestGenerateAheadEmitsGeneratesBatches: the batches arrive in order and
// equal Generate's; an error from emit stops the generation and is
// returned. (Run with -race: the consumer reads every record while the
// generator goes on.)
func TestGenerateAheadEmitsGeneratesBatches(t *testing.T) {
	opts := Options{Seed: 3, End: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Days: 5, BatchSize: 300}
	var want, got []string
	encode := func(out *[]string) func([]model.Record) error {
		return func(batch []model.Record) error {
			var b []byte
			for _, r := range batch {
				b = model.AppendRecord(append(b, '\n'), r)
			}
			*out = append(*out, string(b))
			return nil
		}
	}
	if err := Generate(opts, encode(&want)); err != nil {
		t.Fatal(err)
	}
	if err := GenerateAhead(opts, 2, encode(&got)); err != nil {
		t.Fatal(err)
	}
	if len(want) < 3 || !slices.Equal(got, want) {
		t.Fatalf("GenerateAhead gave %d batches, Generate %d, or they differ", len(got), len(want))
	}
	stop := errors.New("full")
	n := 0
	err := GenerateAhead(opts, 2, func([]model.Record) error {
		if n++; n == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 2 {
		t.Fatalf("emit failing on its second batch: %v after %d calls", err, n)
	}
}
