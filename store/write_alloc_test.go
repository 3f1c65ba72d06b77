package store

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
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
