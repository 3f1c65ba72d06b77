package store

import (
	"bytes"
	"encoding/binary"
	"sort"
)

// A trend line asks for distinct customers once a point, over a hundred
// points a window, all in one view of the rollups: what one count reads
// the next would read again. The view keeps what those counts read
// (valid as long as its read transaction): a scratch set reused across
// counts, the sums from hour 0 of the span counters, and the gap day keys
// decoded once. One count alone reads no more than it did.

// distinctCache is what a Rollups view keeps between distinct counts.
type distinctCache struct {
	seen map[string]struct{}     // DistinctSuffixes' scratch set, cleared after each count
	from map[string]sumFromZero  // the last sum from hour 0, per metric
	gaps map[string]*gapDayCache // per gap day family
	// totals are the hourly totals a trend line read (rollup_totals.go).
	totals *totalsCache
}

type sumFromZero struct {
	to  uint32
	sum int64
}

// gapDayCache holds a gap family's day keys from day `from` on, decoded.
type gapDayCache struct {
	from uint32
	days []gapDay // ascending
}

// gapDay is one day key of gaps: starts (sub-keys) ascending, and before[i]
// the customers of the gaps whose start is before starts[i].
type gapDay struct {
	day    uint32
	starts []uint32
	before []int64 // len(starts)+1
}

// scratchSet is an empty set to count with; give it back with dropSet.
func (r *Rollups) scratchSet() map[string]struct{} {
	if r.cache.seen == nil {
		r.cache.seen = map[string]struct{}{}
	}
	return r.cache.seen
}

// dropSet empties the scratch set for the next count. A set grown past a
// few thousand members is let go instead: clearing costs its capacity,
// and most counts (one slice of a trend) hold a handful.
func (r *Rollups) dropSet(seen map[string]struct{}) {
	if len(seen) > 4096 {
		r.cache.seen = nil
		return
	}
	clear(seen)
}

// sumFrom0 is Sum(metric, 0, to), moved from the last such sum of metric
// by the hours between (rollups are additive).
func (r *Rollups) sumFrom0(metric string, to uint32) int64 {
	if r.cache.from == nil {
		r.cache.from = map[string]sumFromZero{}
	}
	p, ok := r.cache.from[metric]
	switch {
	case !ok:
		p.sum = r.Sum(metric, 0, to)
	case to >= p.to:
		p.sum += r.Sum(metric, p.to, to)
	default:
		p.sum -= r.Sum(metric, to, p.to)
	}
	p.to = to
	r.cache.from[metric] = p
	return p.sum
}

// gapsBeforeByDay counts the gaps of a gap day family at days from `day`
// on whose start is before start, from the decoded day keys.
func (r *Rollups) gapsBeforeByDay(family string, day, start uint32) int64 {
	if r.cache.gaps == nil {
		r.cache.gaps = map[string]*gapDayCache{}
	}
	c := r.cache.gaps[family]
	switch {
	case c == nil:
		c = &gapDayCache{from: day, days: r.readGapDays(family, day, ^uint32(0))}
		r.cache.gaps[family] = c
	case day < c.from:
		c.days = append(r.readGapDays(family, day, c.from), c.days...)
		c.from = day
	}
	var n int64
	i := sort.Search(len(c.days), func(i int) bool { return c.days[i].day >= day })
	for _, d := range c.days[i:] {
		n += d.before[sort.Search(len(d.starts), func(j int) bool { return d.starts[j] >= start })]
	}
	return n
}

// readGapDays decodes a gap family's keys at [from, to).
func (r *Rollups) readGapDays(family string, from, to uint32) []gapDay {
	var out []gapDay
	prefix := append([]byte(family), 0)
	c := r.b.Cursor()
	for k, v := c.Seek(packedKey(nil, family, from)); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+4; k, v = c.Next() {
		_, h, _ := splitPackedKey(k)
		if h >= to {
			break
		}
		d := gapDay{day: h, before: []int64{0}}
		// Entries are sorted by start (packed values are canonical). A
		// malformed value reads as what precedes the fault; cxtop check
		// reports it.
		_ = eachEntry(v, func(sub []byte, n int64) {
			if len(sub) == 4 {
				d.starts = append(d.starts, binary.BigEndian.Uint32(sub))
				d.before = append(d.before, d.before[len(d.before)-1]+n)
			}
		})
		out = append(out, d)
	}
	return out
}
