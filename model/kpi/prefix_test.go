package kpi

import (
	"math/rand/v2"
	"testing"
)

// hourly is a kpi.Source over one metric's hourly counts that counts the
// hours it reads.
type hourly struct {
	counts []int64
	reads  int
}

func (h *hourly) Sum(_ string, from, to uint32) int64 {
	var n int64
	for i := from; i < to && int(i) < len(h.counts); i++ {
		n += h.counts[i]
		h.reads++
	}
	return n
}

func (h *hourly) BySuffix(string, uint32, uint32) map[string]int64 { return nil }

func TestPrefixSumsEqualDirectSums(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	src := &hourly{counts: make([]int64, 2000)}
	for i := range src.counts {
		src.counts[i] = r.Int64N(50) - 10
	}
	c := WithPrefixSums(src)
	direct := &hourly{counts: src.counts}
	for i := 0; i < 500; i++ {
		from, to := uint32(0), uint32(r.IntN(2001))
		if r.IntN(3) == 0 {
			from = uint32(r.IntN(int(to) + 1))
		}
		if got, want := c.Sum("m", from, to), direct.Sum("m", from, to); got != want {
			t.Fatalf("Sum(%d, %d) = %d, want %d", from, to, got, want)
		}
	}
	// A series of cumulative points reads each hour about once.
	src.reads = 0
	c = WithPrefixSums(src)
	for to := uint32(1000); to <= 2000; to += 10 {
		c.Sum("m", 0, to)
	}
	if src.reads > 2000 {
		t.Fatalf("101 cumulative points read %d hours; direct sums would read ~150,000", src.reads)
	}
}

// countingDistinct offers the fast distinct count, and says when it is used.
type countingDistinct struct {
	hourly
	used bool
}

func (c *countingDistinct) DistinctSuffixes(string, uint32, uint32) int { c.used = true; return 7 }

func TestPrefixSumsKeepTheFastDistinctCount(t *testing.T) {
	src := &countingDistinct{}
	if n := distinct(WithPrefixSums(src), "act", 0, 10); n != 7 || !src.used {
		t.Fatalf("distinct through the wrapper: %d, fast path used %v", n, src.used)
	}
}
