package kpi

import "math"

// A trend line asks every metric of its KPIs once a point, each a read of
// the rollups (a seek from the root of the tree, then the slice's hours).
// When the slices are at most a day, the line is read hour by hour anyway:
// seriesSource reads each metric over the whole line once, in one pass,
// and answers the slices from its prefix sums. Longer slices read day
// keys, which is cheaper than every hour of the line: they go to the
// source as before.

// hourlyReader is what a Source may also offer: a metric per step of hours
// over a range, in one read (*store.Rollups does).
type hourlyReader interface {
	Series(metric string, from, to, stepHours uint32) []int64
}

// seriesSource answers sums inside [from, to) from each metric's prefix
// sums over it, read once; other sums go to the wrapped source.
type seriesSource struct {
	wrapped
	hourly   hourlyReader
	from, to uint32
	prefix   map[string][]int64 // prefix[m][i]: hours [from, from+i); nil: read directly
}

// forSeries wraps src (already WithPrefixSums) for a line of slices of
// step hours over [from, to), when reading each metric hour by hour over
// the line is the cheaper way.
func forSeries(src Source, from, to, step uint32) Source {
	inner := src
	if p, ok := src.(*prefixSums); ok {
		inner = p.Source
	}
	h, ok := inner.(hourlyReader)
	if !ok || step > 24 || to-from <= step {
		return src
	}
	return &seriesSource{wrapped: wrapped{src}, hourly: h, from: from, to: to, prefix: map[string][]int64{}}
}

func (s *seriesSource) Sum(metric string, from, to uint32) int64 {
	if from < s.from || to > s.to || to < from {
		return s.Source.Sum(metric, from, to)
	}
	p, ok := s.prefix[metric]
	if !ok {
		p = prefixOf(s.hourly.Series(metric, s.from, s.to, 1), int(s.to-s.from))
		s.prefix[metric] = p
	}
	if p == nil {
		return s.Source.Sum(metric, from, to)
	}
	return p[to-s.from] - p[from-s.from]
}

// prefixOf is the prefix sums of n hourly counts, nil when they would
// overflow (the source saturates instead: it answers those sums itself).
func prefixOf(hours []int64, n int) []int64 {
	p := make([]int64, n+1)
	for i := 0; i < n; i++ {
		var v int64
		if i < len(hours) {
			v = hours[i]
		}
		if (v > 0 && p[i] > math.MaxInt64-v) || (v < 0 && p[i] < math.MinInt64-v) {
			return nil
		}
		p[i+1] = p[i] + v
	}
	return p
}
