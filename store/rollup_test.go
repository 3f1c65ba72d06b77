package store

import (
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
