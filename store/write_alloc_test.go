package store

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/model/sim"
)

// The index entries built in one buffer (index.go, keyBuf) are the keys and
// values the earlier code built with join, part by part.
func TestIndexEntriesAsJoined(t *testing.T) {
	joinedTicket := func(tk *model.Ticket) []indexEntry {
		id := []byte(tk.ID)
		sum := join([]byte(tk.Status), nul, []byte(tk.Type), nul, []byte(tk.SubType), nul,
			[]byte(tk.Source), nul, []byte(tk.Segment), nul, []byte(tk.Department))
		var out []indexEntry
		if tk.Open() {
			esc := byte(1)
			if tk.Escalated {
				esc = 0
			}
			qk := join([]byte{esc}, timeKey(tk.SLADueAt), []byte{priorityRank(tk.Priority)}, timeKey(tk.CreatedAt), id)
			out = append(out,
				indexEntry{bucketIdxQueue, qk, sum},
				indexEntry{bucketIdxType, join([]byte(tk.Type), nul, qk), sum},
				indexEntry{bucketIdxSource, join([]byte(tk.Source), nul, qk), sum},
				indexEntry{bucketIdxOpenCreated, join(timeKey(tk.CreatedAt), id), nil})
		}
		out = append(out, indexEntry{bucketIdxUpdated, join(timeKey(lastActivity(tk)), id), sum})
		if tk.CustomerID != "" {
			out = append(out, indexEntry{bucketIdxCustomer, join([]byte(tk.CustomerID), nul, []byte{kindTicket}, id), nil})
		}
		return out
	}
	joinedFeedback := func(f *model.Feedback) []indexEntry {
		id := []byte(f.ID)
		out := []indexEntry{{bucketIdxFeedbackAt, join(timeKey(f.At), id), nil}}
		if f.CustomerID != "" {
			out = append(out, indexEntry{bucketIdxCustomer, join([]byte(f.CustomerID), nul, []byte{kindFeedback}, id), nil})
		}
		if f.TicketID != "" {
			out = append(out, indexEntry{bucketIdxFbTicket, join([]byte(f.TicketID), nul, id), nil})
		}
		return out
	}
	same := func(t *testing.T, got, want []indexEntry) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%d entries, want %d", len(got), len(want))
		}
		for i := range got {
			g, w := got[i], want[i]
			if !bytes.Equal(g.bucket, w.bucket) || !bytes.Equal(g.key, w.key) || !bytes.Equal(g.value, w.value) || (g.value == nil) != (w.value == nil) {
				t.Fatalf("entry %d: %s %q=%q, want %s %q=%q", i, g.bucket, g.key, g.value, w.bucket, w.key, w.value)
			}
			// Capped: appending to a key must not write into the next.
			if cap(g.key) != len(g.key) {
				t.Fatalf("entry %d: key has room past its end (%d > %d)", i, cap(g.key), len(g.key))
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 500 {
		tk := randomTicket(rng, i)
		switch i % 5 {
		case 0:
			tk.CustomerID = ""
		case 1:
			tk.SLADueAt = time.Time{} // sorts last
		case 2:
			tk.CreatedAt = time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC) // before 1970
		}
		same(t, ticketIndexEntries(tk), joinedTicket(tk))
		f := randomFeedback(rng, i)
		if i%3 == 0 {
			f.CustomerID, f.TicketID = "", ""
		}
		same(t, feedbackIndexEntries(f), joinedFeedback(f))
	}
}

// The write path's deltaSink adds exactly what rollupDeltas.add adds, runs
// on one key and its day key, other keys between them, and sums that
// cancel included.
func TestDeltaSinkAddsAsAdd(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	want, got := rollupDeltas{}, rollupDeltas{}
	sink := got.sink()
	keys := [][]byte{packedKey(nil, "tk.created", 10), packedDayKey(nil, "tk.created", 10), packedKey(nil, "act", 10), packedKey(nil, "act", 11)}
	subs := [][]byte{nil, []byte("type=x"), []byte("C1"), []byte("C2")}
	for range 5000 {
		k, s, d := keys[rng.IntN(len(keys))], subs[rng.IntN(len(subs))], int64(rng.IntN(5)-2)
		want.add(k, s, d)
		sink(k, s, d)
	}
	if len(got) != len(want) {
		t.Fatalf("%d keys, want %d", len(got), len(want))
	}
	for k, ws := range want {
		gs := got[k]
		if len(gs) != len(ws) {
			t.Fatalf("%q: %d sub-keys, want %d", k, len(gs), len(ws))
		}
		for s, w := range ws {
			if g := gs[s]; g == nil || *g != *w {
				t.Fatalf("%q %q: got %v, want %d", k, s, g, *w)
			}
		}
	}
}

// The writer gathers hourly deltas only and derives the day keys at flush
// (addDayDeltas): for every kind of record, follow-up tickets and spans
// included, that gives the deltas keyBuilder and spanSink add with their
// day keys.
func TestDayDeltasDerivedEqualAdded(t *testing.T) {
	var recs []model.Record
	err := sim.Generate(sim.Options{Seed: 7, End: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Days: 5, Tickets: 800,
		Taxonomy: model.DefaultTaxonomy(), BatchSize: 500}, func(b []model.Record) error {
		recs = append(recs, b...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(8, 9))
	for range 300 {
		recs = append(recs, randomRecord(rng, 1000))
	}
	full, hourly := rollupDeltas{}, rollupDeltas{}
	kf := keyBuilder{sink: full.add}
	kh := keyBuilder{sink: hourly.sink(), hourly: true}
	followUps := 0
	for i, r := range recs {
		sign := int64(1)
		if i%7 == 0 {
			sign = -1 // taken back, as an update does
		}
		contributions(r, sign, &kf)
		contributions(r, sign, &kh)
		if r.Ticket != nil {
			if _, ok := alert.FollowUpOf(r.Ticket.ID); ok {
				followUps++
			}
		}
	}
	for _, fam := range spanFamilies {
		hours := activeHours(fam, full)
		deriveSpans(fam, hours, full)
		s := newSpanSink(fam, hourly)
		s.hourly = true
		for _, hs := range hours {
			s.first(hs[0], 1)
			s.last(hs[len(hs)-1], 1)
			for i := 1; i < len(hs); i++ {
				s.gap(hs[i-1], hs[i], 1)
			}
		}
	}
	addDayDeltas(hourly)
	nonZero := func(d rollupDeltas) map[string]int64 {
		out := map[string]int64{}
		for k, subs := range d {
			for sub, n := range subs {
				if *n != 0 {
					out[k+"\xff"+sub] = *n
				}
			}
		}
		return out
	}
	want, got := nonZero(full), nonZero(hourly)
	days := 0
	for k, n := range want {
		if strings.Contains(k, daySuffix+"\x00") {
			days++
		}
		if got[k] != n {
			fam, h, _ := splitPackedKey([]byte(k[:strings.IndexByte(k, 0xff)]))
			t.Fatalf("%s hour %d %q: derived %d, added %d", fam, h, k[strings.IndexByte(k, 0xff)+1:], got[k], n)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d counters derived, %d added", len(got), len(want))
	}
	if days == 0 || followUps == 0 {
		t.Fatalf("the records exercise too little: %d day counters, %d follow-up tickets", days, followUps)
	}
}
