package store

import (
	"strings"

	"github.com/cxtop/cxtop/model"
)

// The totals key of an hour (totalsFamily, rollup version ≥ 7) holds every
// family's total of that hour. A trend line reads each of its metrics
// hour by hour over the line: from the families' own hourly values, a
// 30-day line of every KPI touched ~3,000 pages of a 1M-ticket store
// (their breakdowns ride along), and on a freshly opened store each page
// is a page fault, which made most of a console's first frame. The
// totals of the line's hours are ~300 pages, read once a view for every
// family (totalsCache) and answered from memory after.

// totalsCache is the hourly totals of every family over hours [from, to),
// decoded: cols[family][h-from].
type totalsCache struct {
	from, to uint32
	cols     map[string][]int64
}

// hourlyTotals returns the totals of family over [from, to), one per hour,
// from the cache, which grows to cover the range; nil when the family has
// no count there.
func (r *Rollups) hourlyTotals(family string, from, to uint32) []int64 {
	c := r.cache.totals
	switch {
	case c == nil:
		c = &totalsCache{from: from, to: to, cols: r.readTotals(from, to)}
		r.cache.totals = c
	case from < c.from || to > c.to:
		lo, hi := min(from, c.from), max(to, c.to)
		var before, after map[string][]int64
		if lo < c.from {
			before = r.readTotals(lo, c.from)
		}
		if hi > c.to {
			after = r.readTotals(c.to, hi)
		}
		cols := map[string][]int64{}
		for _, m := range []map[string][]int64{before, c.cols, after} {
			for f := range m {
				cols[f] = nil
			}
		}
		for f := range cols {
			col := make([]int64, 0, hi-lo)
			col = appendCol(col, before[f], c.from-lo)
			col = appendCol(col, c.cols[f], c.to-c.from)
			col = appendCol(col, after[f], hi-c.to)
			cols[f] = col
		}
		c.from, c.to, c.cols = lo, hi, cols
	}
	col := c.cols[family]
	if col == nil {
		return nil
	}
	return col[from-c.from : to-c.from]
}

// appendCol appends n hours of col to dst, zeros when col is nil.
func appendCol(dst, col []int64, n uint32) []int64 {
	if col == nil {
		return append(dst, make([]int64, n)...)
	}
	return append(dst, col...)
}

// readTotals decodes the totals keys of hours [from, to).
func (r *Rollups) readTotals(from, to uint32) map[string][]int64 {
	cols := map[string][]int64{}
	eachHourKey(r.b, totalsFamily, from, to, func(h uint32, v []byte) bool {
		// A malformed value reads as what precedes the fault; cxtop check
		// reports it.
		_ = eachEntry(v, func(sub []byte, n int64) {
			col := cols[string(sub)]
			if col == nil {
				col = make([]int64, to-from)
				cols[string(sub)] = col
			}
			col[h-from] = n
		})
		return true
	})
	return cols
}

// cachedTotals is a family's hourly totals over [from, to) when a trend
// line of this view already read them (Sum's hours then cost no read: the
// backlog's points move its sums from hour 0 by a slice each); ok is false
// otherwise.
func (r *Rollups) cachedTotals(metric string, from, to uint32) ([]int64, bool) {
	c := r.cache.totals
	if c == nil || from < c.from || to > c.to || to <= from || !hasTotal(metric) {
		return nil, false
	}
	col := c.cols[metric]
	if col == nil {
		return make([]int64, 0), true
	}
	return col[from-c.from : to-c.from], true
}

// hasTotal reports whether metric is a family whose hourly totals are in
// the totals keys: not a breakdown, not per suffix, not a span counter.
func hasTotal(metric string) bool {
	return metric != "" && !suffixFamilies[metric] && !strings.Contains(metric, "|") && !spanTotal(metric)
}

// seriesFromTotals is Series of a family's total from the totals keys; ok
// is false when the store has none or metric is not a family's total.
func (r *Rollups) seriesFromTotals(metric string, from, to, stepHours uint32) ([]int64, bool) {
	if !r.totals || !hasTotal(metric) {
		return nil, false
	}
	out := make([]int64, (to-from+stepHours-1)/stepHours)
	for i, n := range r.hourlyTotals(metric, from, to) {
		j := uint32(i) / stepHours
		out[j] = model.AddSat(out[j], n)
	}
	return out, true
}

// spanTotal reports whether family is an activity span's first or last:
// the writer derives those at flush (rollup_span.go), not from
// contributions, so they have no totals keys.
func spanTotal(family string) bool {
	for _, f := range spanFamilies {
		if family == spanFirst(f) || family == spanLast(f) {
			return true
		}
	}
	return false
}
