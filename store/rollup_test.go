package store

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
)

func TestPackedValuesAreCanonical(t *testing.T) {
	a, b, c := int64(3), int64(-3), int64(7)
	v, err := mergePacked(nil, map[string]*int64{"type=x": &a, "": &c, "cust-1": &a})
	if err != nil {
		t.Fatal(err)
	}
	again := encodePacked([]packedEntry{{"cust-1", 3}, {"type=x", 3}, {"", 7}})
	if string(v) != string(again) {
		t.Fatal("the same counters encode differently")
	}
	v, _ = mergePacked(v, map[string]*int64{"type=x": &b, "cust-1": &b})
	var subs []string
	eachEntry(v, func(sub []byte, n int64) { subs = append(subs, string(sub)) })
	if strings.Join(subs, ",") != "" || len(subs) != 1 {
		t.Fatalf("after cancelling, entries %q, want only the total", subs)
	}
	if err := eachEntry([]byte{0xff}, func([]byte, int64) {}); err == nil {
		t.Fatal("a malformed value decoded")
	}
}

func TestRollupReads(t *testing.T) {
	s := openTemp(t)
	h0 := model.HourOf(t0)
	mk := func(id string, typ string, at time.Time, cust string) model.Record {
		return model.Record{Ticket: &model.Ticket{ID: id, Status: model.StatusNew, Type: typ, Source: "email",
			Priority: model.PriorityLow, CreatedAt: at, CustomerID: cust}}
	}
	_, err := s.Write([]model.Record{
		mk("a", "complaint", t0, "C1"),
		mk("b", "complaint", t0.Add(30*time.Minute), "C2"),
		mk("c", "suggestion", t0.Add(2*time.Hour), "C1"),
		mk("d", "complaint", t0.Add(5*time.Hour), "C3"),
	})
	if err != nil {
		t.Fatal(err)
	}
	s.ViewRollups(func(r *Rollups) error {
		if n := r.Sum(model.MTicketCreated, h0, h0+5); n != 3 {
			t.Errorf("created in [h0, h0+5) = %d, want 3", n)
		}
		if n := r.Sum(model.Dim(model.MTicketCreated, "type", "complaint"), h0, h0+6); n != 3 {
			t.Errorf("complaints = %d, want 3", n)
		}
		if got := r.Series(model.MTicketCreated, h0, h0+6, 2); len(got) != 3 || got[0] != 2 || got[1] != 1 || got[2] != 1 {
			t.Errorf("series %v, want [2 1 1]", got)
		}
		if got := r.BySuffix(model.MActive, h0, h0+3); len(got) != 2 || got["C1"] != 2 || got["C2"] != 1 {
			t.Errorf("active customers %v", got)
		}
		if n := r.Sum(model.MActive, h0, h0+6); n != 4 {
			t.Errorf("activity total %d, want 4", n)
		}
		if got := strings.Join(r.Metrics("tk.created|type="), " "); got != "tk.created|type=complaint tk.created|type=suggestion" {
			t.Errorf("metrics %q", got)
		}
		if first, last, ok := r.Hours(model.Dim(model.MTicketCreated, "type", "suggestion")); !ok || first != h0+2 || last != h0+2 {
			t.Errorf("hours %d %d %v", first, last, ok)
		}
		if _, _, ok := r.Hours("tk.nothing"); ok {
			t.Error("hours of an unknown metric")
		}
		return nil
	})
}

func TestFindEntry(t *testing.T) {
	v := encodePacked([]packedEntry{{"", 7}, {"kind=post_resolution", 3}, {"channel=email", -2}, {"segment=vip", 1}})
	for _, tc := range []struct {
		sub  string
		want int64
		ok   bool
	}{
		{"", 7, true}, {"channel=email", -2, true}, {"kind=post_resolution", 3, true}, {"segment=vip", 1, true},
		{"channel=a", 0, false}, {"kind=zzz", 0, false}, {"zzz", 0, false},
	} {
		if n, ok := findEntry(v, []byte(tc.sub)); n != tc.want || ok != tc.ok {
			t.Errorf("findEntry(%q) = %d, %v; want %d, %v", tc.sub, n, ok, tc.want, tc.ok)
		}
	}
	if _, ok := findEntry([]byte{0xff}, []byte("x")); ok {
		t.Error("found a counter in a malformed value")
	}
	if _, ok := findEntry(encodePacked([]packedEntry{{"a", 1}}), nil); ok {
		t.Error("a value without a total has none")
	}
}

// TestMergePackedMatchesSorting: the merge walk gives the bytes of sorting
// all the sums (the canonical encoding), over random values and deltas,
// and a value whose entries are out of order is still merged whole.
func TestMergePackedMatchesSorting(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	subs := []string{"", "a", "ab", "b", "cust-1", "cust-2", "type=x", "type=y", "z"}
	for range 2000 {
		var entries []packedEntry
		for _, s := range subs {
			if rng.IntN(2) == 0 {
				entries = append(entries, packedEntry{s, int64(rng.IntN(7) - 3)})
			}
		}
		old := encodePacked(entries)
		deltas := map[string]*int64{}
		for _, s := range subs {
			if rng.IntN(3) == 0 {
				d := int64(rng.IntN(5) - 2)
				deltas[s] = &d
			}
		}
		got, err := mergePacked(old, deltas)
		want, err2 := mergeUnsorted(old, deltas)
		if err != nil || err2 != nil || !bytes.Equal(got, want) {
			t.Fatalf("merge of %x with %v: %x (%v), sorting gives %x (%v)", old, deltas, got, err, want, err2)
		}
	}
	one, two := int64(1), int64(2)
	unsorted := append(encodePacked([]packedEntry{{"b", 5}}), encodePacked([]packedEntry{{"a", 1}})...)
	got, err := mergePacked(unsorted, map[string]*int64{"a": &one, "c": &two})
	if want := encodePacked([]packedEntry{{"a", 2}, {"b", 5}, {"c", 2}}); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("unsorted value merged as %x (%v), want %x", got, err, want)
	}
}
