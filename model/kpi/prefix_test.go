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

// lined is an hourly source that also reads a metric per hour over a
// range in one call, as the store's rollups do.
type lined struct{ hourly }

func (l *lined) Series(_ string, from, to, step uint32) []int64 {
	out := make([]int64, (to-from+step-1)/step)
	for h := from; h < to && int(h) < len(l.counts); h++ {
		out[(h-from)/step] += l.counts[h]
		l.reads++
	}
	return out
}

// A trend line's sums inside the line come from one read of each metric;
// they equal direct sums, inside the line, across its edges and from
// hour 0, and the line reads each hour once.
func TestSeriesSourceEqualsDirectSums(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	src := &lined{hourly{counts: make([]int64, 3000)}}
	for i := range src.counts {
		src.counts[i] = r.Int64N(50) - 10
	}
	direct := &hourly{counts: src.counts}
	from, to := uint32(1000), uint32(1000+168*5)
	s := forSeries(WithPrefixSums(src), from, to, 5)
	if _, ok := s.(*seriesSource); !ok {
		t.Fatal("a line of 5-hour slices is not read hour by hour")
	}
	for i := 0; i < 2000; i++ {
		a := uint32(r.IntN(3001))
		b := a + uint32(r.IntN(3001-int(a)))
		if i%2 == 0 { // inside the line
			a = from + uint32(r.IntN(int(to-from)))
			b = a + uint32(r.IntN(int(to-a)+1))
		}
		if i%7 == 0 {
			a = 0
		}
		if got, want := s.Sum("m", a, b), direct.Sum("m", a, b); got != want {
			t.Fatalf("Sum(%d, %d) = %d, want %d", a, b, got, want)
		}
	}
	src.reads = 0
	s = forSeries(WithPrefixSums(src), from, to, 5)
	for h := from; h < to; h += 5 {
		s.Sum("m", h, h+5)
	}
	if src.reads != int(to-from) {
		t.Fatalf("168 slices read %d hours, want each of the %d once", src.reads, to-from)
	}
	if _, ok := forSeries(WithPrefixSums(src), 0, 24*365, 24*15).(*seriesSource); ok {
		t.Fatal("a line of 15-day slices is read hour by hour (day keys are cheaper)")
	}
}
