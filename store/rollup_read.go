package store

import (
	"bytes"
	"sort"
	"strings"
	"unsafe"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
)

// Rollups reads hourly counters inside one read transaction, so a set of
// KPIs computed together sees one consistent state. A metric is a family
// ("tk.created") or a family and a breakdown ("tk.created|type=complaint");
// hours are numbers from model.HourOf, ranges half-open [from, to).
type Rollups struct {
	b *bolt.Bucket
	// spans: the activity span counters are there (rollup version ≥ 3);
	// an older store read read-only counts distinct customers the slow way.
	spans bool
	// days: counters are also kept per day (version ≥ 4); gapDays: the
	// activity gaps too (version ≥ 5).
	days, gapDays bool
	// totals: every family's hourly total is also in the hour's totals
	// key (version ≥ 7, rollup_totals.go).
	totals bool
	// cache is what distinct counts keep between calls (rollup_distinct.go):
	// a Rollups is used by one goroutine, inside its transaction.
	cache distinctCache
}

// ViewRollups runs fn with a consistent view of the rollups.
func (s *Store) ViewRollups(fn func(r *Rollups) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		v := storedRollupVersion(tx)
		spans := v >= 3 && tx.Bucket(bucketActHours) != nil
		return fn(&Rollups{b: tx.Bucket(bucketRollups), spans: spans, days: v >= 4, gapDays: v >= 5, totals: v >= 7})
	})
}

// scan calls fn for the counters of metric in hours [from, to): the one
// named by the metric, or, for a bare per-customer family, every customer's.
func (r *Rollups) scan(metric string, from, to uint32, fn func(hour uint32, sub []byte, n int64)) {
	family, sub := splitMetric(metric)
	all := sub == "" && suffixFamilies[family]
	subBytes := []byte(sub)
	eachHourKey(r.b, family, from, to, func(h uint32, v []byte) bool {
		// A malformed value reads as empty here; cxtop check reports it.
		if all {
			eachEntry(v, func(s []byte, n int64) { fn(h, s, n) })
		} else if n, ok := findEntry(v, subBytes); ok {
			fn(h, subBytes, n)
		}
		return true
	})
}

// Sum adds metric over hours [from, to): the whole days of the range from
// day keys, the hours before the first and after the last whole day from
// hour keys.
func (r *Rollups) Sum(metric string, from, to uint32) int64 {
	var n int64
	add := func(_ uint32, _ []byte, v int64) { n = model.AddSat(n, v) }
	family, sub := splitMetric(metric)
	d0, d1 := (from+23)/24*24, to/24*24
	if hours, ok := r.cachedTotals(metric, from, to); ok && (!r.days || to-from < 48) {
		for _, v := range hours {
			n = model.AddSat(n, v)
		}
		return n
	}
	hourly := func(from, to uint32) {
		if hours, ok := r.cachedTotals(metric, from, to); ok {
			for _, v := range hours {
				n = model.AddSat(n, v)
			}
			return
		}
		r.scan(metric, from, to, add)
	}
	if !r.days || suffixFamilies[family] || d1 <= d0 {
		hourly(from, to)
		return n
	}
	hourly(from, d0)
	day := family + daySuffix
	if sub != "" {
		day += "|" + sub
	}
	r.scan(day, d0, d1, add)
	hourly(d1, to)
	return n
}

// Series returns metric per step of stepHours over [from, to): element i
// covers hours [from+i*step, from+(i+1)*step).
func (r *Rollups) Series(metric string, from, to, stepHours uint32) []int64 {
	if stepHours == 0 || to <= from {
		return nil
	}
	if out, ok := r.seriesFromTotals(metric, from, to, stepHours); ok {
		return out
	}
	out := make([]int64, (to-from+stepHours-1)/stepHours)
	r.scan(metric, from, to, func(h uint32, _ []byte, v int64) { out[(h-from)/stepHours] = model.AddSat(out[(h-from)/stepHours], v) })
	return out
}

// BySuffix sums a per-customer family over [from, to) by customer id: its
// length is the number of distinct active customers.
func (r *Rollups) BySuffix(metric string, from, to uint32) map[string]int64 {
	out := map[string]int64{}
	r.scan(metric, from, to, func(_ uint32, sub []byte, v int64) { out[string(sub)] = model.AddSat(out[string(sub)], v) })
	return out
}

// Metrics lists, in order, the metric names that start with prefix and
// have a count in some hour: families and their breakdowns, such as every
// "tk.created|type=" value. Per-customer families are listed by family
// only. It reads every hour of the matching families: for listing
// breakdowns, not for hot paths.
func (r *Rollups) Metrics(prefix string) []string {
	famPrefix, _ := splitMetric(prefix)
	seen := map[string]bool{}
	c := r.b.Cursor()
	for k, v := c.Seek([]byte(famPrefix)); k != nil && bytes.HasPrefix(k, []byte(famPrefix)); k, v = c.Next() {
		family, _, ok := splitPackedKey(k)
		if !ok || strings.HasSuffix(family, daySuffix) || family == totalsFamily {
			continue
		}
		if suffixFamilies[family] {
			seen[family] = true
			continue
		}
		eachEntry(v, func(sub []byte, _ int64) {
			name := family
			if len(sub) > 0 {
				name += "|" + string(sub)
			}
			seen[name] = true
		})
	}
	var out []string
	for name := range seen {
		if len(name) >= len(prefix) && name[:len(prefix)] == prefix {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Hours is the first and last hour holding a count of metric; ok is false
// when there is none.
func (r *Rollups) Hours(metric string) (first, last uint32, ok bool) {
	r.scan(metric, 0, ^uint32(0), func(h uint32, _ []byte, _ int64) {
		if !ok {
			first, ok = h, true
		}
		last = h
	})
	return first, last, ok
}

// DistinctSuffixes is len(BySuffix(metric, from, to)) without summing: the
// number of distinct customers (or tickets) of a per-suffix family in the
// window. It looks each sub-key up without allocating and stores only the
// new ones, which is what costs when a family has a million entries in a
// window (digital adoption over 30 days of a 1M-ticket store).
func (r *Rollups) DistinctSuffixes(metric string, from, to uint32) int {
	if r.spans && isSpanFamily(metric) {
		return r.DistinctActive(metric, from, to)
	}
	seen := r.scratchSet()
	if to-from > bigSetHours {
		// A long window (a report's, not a trend point's) counts
		// thousands: a set made at their size is not grown and rehashed
		// step by step (40 % of the kpi row at 1M).
		n := 0
		r.scan(metric, from, to, func(uint32, []byte, int64) { n++ })
		if n > len(seen) {
			seen = make(map[string]struct{}, n)
		}
	}
	r.scan(metric, from, to, func(_ uint32, sub []byte, v int64) {
		if len(sub) > 0 && v != 0 {
			// The key points into the read transaction's mmap, which
			// outlives the map: no copy per customer.
			seen[unsafe.String(&sub[0], len(sub))] = struct{}{}
		}
	})
	n := len(seen)
	r.dropSet(seen)
	return n
}
