package store

import (
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
	// hours are the hourly gap keys read, decoded, per gap family.
	hours map[string]*gapHourCache
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

// bigSetHours: a distinct count over more hours than this sizes its set
// from the number of entries first.
const bigSetHours = 48

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
	eachHourKey(r.b, family, from, to, func(h uint32, v []byte) bool {
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
		return true
	})
	return out
}

// gapTail is how far before its hour a gap key's starts are kept in the
// cache: a trend point of a day or less ends at most 24 hours before the
// day's end, so its window starts at most 48 hours before any hour it
// reads.
const gapTail = 48

// gapHourCache holds a gap family's hourly keys over [from, to), read once:
// per hour the number of gaps, and the starts of those that began within
// gapTail hours of it (few: most silences are long).
type gapHourCache struct {
	from, to uint32
	hours    []gapHour
}

type gapHour struct {
	total  int64
	starts []uint32 // ascending, ≥ the hour − gapTail
	counts []int64
}

// gapsBeforeByHour counts the gaps of an hourly gap family at hours
// [from, to) whose start is before start. The points of a trend line each
// read the hours from their end to the next whole day, and a gap key holds
// hundreds of starts at 1M tickets: walking them again for every point was
// most of digital adoption's line. Each hour is now walked once a view,
// its total and recent starts kept; a window starting further back (a
// report's) walks the keys as before.
func (r *Rollups) gapsBeforeByHour(family string, from, to, start uint32) int64 {
	if to <= from {
		return 0
	}
	if start+gapTail < to-1 || start < gapTail {
		return r.gapsBefore(family, from, to, hourBytes(start))
	}
	if r.cache.hours == nil {
		r.cache.hours = map[string]*gapHourCache{}
	}
	c := r.cache.hours[family]
	switch {
	case c == nil:
		c = &gapHourCache{from: from, to: to, hours: r.readGapHours(family, from, to)}
		r.cache.hours[family] = c
	case from < c.from || to > c.to:
		lo, hi := min(from, c.from), max(to, c.to)
		hours := make([]gapHour, 0, hi-lo)
		if lo < c.from {
			hours = append(hours, r.readGapHours(family, lo, c.from)...)
		}
		hours = append(hours, c.hours...)
		if hi > c.to {
			hours = append(hours, r.readGapHours(family, c.to, hi)...)
		}
		c.from, c.to, c.hours = lo, hi, hours
	}
	var n int64
	for _, g := range c.hours[from-c.from : to-c.from] {
		n += g.total
		for i := len(g.starts) - 1; i >= 0 && g.starts[i] >= start; i-- {
			n -= g.counts[i]
		}
	}
	return n
}

// readGapHours reads a gap family's hourly keys at [from, to), one entry
// an hour (zero when the hour has no key).
func (r *Rollups) readGapHours(family string, from, to uint32) []gapHour {
	out := make([]gapHour, to-from)
	eachHourKey(r.b, family, from, to, func(h uint32, v []byte) bool {
		g := &out[h-from]
		// A malformed value reads as what precedes the fault; cxtop check
		// reports it.
		_ = eachEntry(v, func(sub []byte, n int64) {
			if len(sub) != 4 {
				return
			}
			g.total += n
			if p := binary.BigEndian.Uint32(sub); p+gapTail >= h {
				g.starts = append(g.starts, p)
				g.counts = append(g.counts, n)
			}
		})
		return true
	})
	return out
}
