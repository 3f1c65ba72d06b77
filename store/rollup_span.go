package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
)

// Activity spans make "distinct customers active in [from, to)" cheap and
// exact. The activity families (act, act.digital) count records per
// customer per hour, so counting distinct customers from them reads every
// (customer, hour) of the window: over a second for 30 days of a
// 1M-ticket store. Instead, per activity family F, with S_c the hours in
// which customer c is active:
//
//	F.first   at hour h: customers whose first active hour is h
//	F.last    at hour h: customers whose last active hour is h
//	F.gap     at hour h, sub-key p (4 bytes BE): customers active at p and
//	          next at h, with h − p ≥ 2 (shorter gaps cannot hold a window)
//
// and distinct(from, to) = #first < to − #last < from − #gaps with p < from
// and h ≥ to: the customers seen before the window ends, less those whose
// activity ended before it starts, less those with a silence covering the
// whole window. The gap term reads only the hours after the window.
//
// Spans depend on a customer's other hours, so they are not per-record
// contributions: the writer derives them at flush from the activity
// counters that change between zero and non-zero, using bucketActHours
// (family NUL customer NUL hour → empty) to find a customer's neighbouring
// hours. cxtop check and the rollup rebuild derive them from the activity
// counters with deriveSpans; TestRandomUpsertsStayConsistent holds the two
// ways equal.
var spanFamilies = []string{model.MActive, model.MDigitalActive}

var bucketActHours = []byte("act_hours")

func spanFirst(f string) string { return f + ".first" }
func spanLast(f string) string  { return f + ".last" }
func spanGap(f string) string   { return f + ".gap" }

func isSpanFamily(f string) bool { return slices.Contains(spanFamilies, f) }

func hourBytes(h uint32) []byte { return binary.BigEndian.AppendUint32(nil, h) }

// spanSink adds span counters to a rollupDeltas, building keys in one
// reused buffer (the writer calls it for most records).
type spanSink struct {
	firstF, lastF, gapF string
	d                   rollupDeltas
	key                 *[]byte
	hourly              bool // no day keys: the writer derives them (addDayDeltas)
}

func newSpanSink(family string, d rollupDeltas) spanSink {
	return spanSink{spanFirst(family), spanLast(family), spanGap(family), d, new([]byte), false}
}

func (s spanSink) add(fam string, hour uint32, sub []byte, delta int64) {
	// Per day too: first and last are summed like any total, and the gaps
	// after a window are read a day at a time (DistinctActive).
	*s.key = packedKey((*s.key)[:0], fam, hour)
	s.d.add(*s.key, sub, delta)
	if s.hourly {
		return
	}
	*s.key = packedDayKey((*s.key)[:0], fam, hour)
	s.d.add(*s.key, sub, delta)
}

// hasDayKeys reports whether an hourly family is also kept per day: every
// family without suffixes (keyBuilder.add adds a day key exactly when the
// suffix is empty, and only the per-suffix families take one) but the
// hours' totals, and the spans (spanSink.add), whose gaps have sub-keys.
func hasDayKeys(family string) bool {
	if strings.HasSuffix(family, daySuffix) || family == totalsFamily {
		return false // the hours' totals are kept by hour only
	}
	if !suffixFamilies[family] {
		return true
	}
	for _, f := range spanFamilies {
		if family == spanGap(f) {
			return true
		}
	}
	return false
}

// addDayDeltas adds to d the day keys of its hourly deltas, for deltas
// gathered without them (keyBuilder.hourly, spanSink.hourly): a day's
// delta of a counter is the sum of its hours' deltas.
func addDayDeltas(d rollupDeltas) {
	type hourly struct {
		family string
		hour   uint32
		subs   map[string]*int64
	}
	var todo []hourly
	for k, subs := range d {
		fam, h, ok := splitPackedKey([]byte(k))
		if ok && hasDayKeys(fam) {
			todo = append(todo, hourly{fam, h, subs})
		}
	}
	var key []byte
	var slab []int64
	for _, t := range todo {
		key = packedDayKey(key[:0], t.family, t.hour)
		m := d[string(key)]
		if m == nil {
			m = make(map[string]*int64, len(t.subs))
			d[string(key)] = m
		}
		for sub, n := range t.subs {
			if p := m[sub]; p != nil {
				*p += *n
				continue
			}
			if len(slab) == 0 {
				slab = make([]int64, 512)
			}
			p := &slab[0]
			slab = slab[1:]
			*p = *n
			m[sub] = p // the hour's sub-key string, shared
		}
	}
}

func (s spanSink) first(h uint32, d int64) { s.add(s.firstF, h, nil, d) }
func (s spanSink) last(h uint32, d int64)  { s.add(s.lastF, h, nil, d) }
func (s spanSink) gap(p, h uint32, d int64) {
	if h-p >= 2 {
		var sub [4]byte
		binary.BigEndian.PutUint32(sub[:], p)
		s.add(s.gapF, h, sub[:], d)
	}
}

// deriveSpans adds the span counters of customers' active hours (each list
// sorted ascending) to d.
func deriveSpans(family string, hours map[string][]uint32, d rollupDeltas) {
	s := newSpanSink(family, d)
	for _, hs := range hours {
		if len(hs) == 0 {
			continue
		}
		s.first(hs[0], 1)
		s.last(hs[len(hs)-1], 1)
		for i := 1; i < len(hs); i++ {
			s.gap(hs[i-1], hs[i], 1)
		}
	}
}

// activeHours lists, per customer, the hours in which a per-customer
// activity family has a non-zero counter, from packed deltas or values.
func activeHours(family string, counters map[string]map[string]*int64) map[string][]uint32 {
	out := map[string][]uint32{}
	for k, subs := range counters {
		fam, h, ok := splitPackedKey([]byte(k))
		if !ok || fam != family {
			continue
		}
		for c, n := range subs {
			if *n != 0 {
				out[c] = append(out[c], h)
			}
		}
	}
	for _, hs := range out {
		slices.Sort(hs)
	}
	return out
}

func actHoursKey(family, customer string, h uint32) []byte {
	k := make([]byte, 0, len(family)+len(customer)+6)
	k = append(k, family...)
	k = append(k, 0)
	k = append(k, customer...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint32(k, h)
}

// neighbours finds the active hours of a customer just before and after h
// in bucketActHours (h itself excluded). An hour turning on (h not stored:
// every new customer-hour) takes one seek: the key at or after h is the
// next, and the cursor steps back from it to the previous; only an hour
// turning off seeks twice.
func neighbours(b *bolt.Bucket, family, customer string, h uint32) (p uint32, hasP bool, n uint32, hasN bool) {
	key := actHoursKey(family, customer, h)
	prefix := key[:len(key)-4]
	same := func(k []byte) bool { return k != nil && len(k) == len(key) && bytes.HasPrefix(k, prefix) }
	c := b.Cursor()
	at, _ := c.Seek(key)
	var next, prev []byte
	switch {
	case at == nil:
		prev, _ = c.Last()
	case bytes.Equal(at, key):
		next, _ = c.Next()
		c.Seek(key)
		prev, _ = c.Prev()
	default:
		next = at
		prev, _ = c.Prev()
	}
	if same(next) {
		n, hasN = binary.BigEndian.Uint32(next[len(prefix):]), true
	}
	if same(prev) {
		p, hasP = binary.BigEndian.Uint32(prev[len(prefix):]), true
	}
	return p, hasP, n, hasN
}

// transition is an activity counter that became non-zero (on) or zero.
type transition struct {
	customer string
	hour     uint32
	on       bool
}

// spanDeltas turns the batch's activity counters that change between zero
// and non-zero into span deltas and index entries. It runs at flush, before
// the deltas are merged (it reads the old counters).
func (w *Writer) spanDeltas() error {
	rb := w.tx.Bucket(bucketRollups)
	ib := w.tx.Bucket(bucketActHours)
	if ib == nil {
		return fmt.Errorf("%w: bucket %s is missing", ErrCorrupt, bucketActHours)
	}
	for _, family := range spanFamilies {
		var ts []transition
		for k, subs := range w.deltas {
			fam, h, ok := splitPackedKey([]byte(k))
			if !ok || fam != family {
				continue
			}
			// One pass over the old value, merged with the sorted
			// customers of the batch (an hour holds thousands of them).
			custs := make([]string, 0, len(subs))
			for c, d := range subs {
				if *d != 0 {
					custs = append(custs, c)
				}
			}
			slices.Sort(custs)
			before := make([]int64, len(custs))
			i := 0
			eachEntry(rb.Get([]byte(k)), func(sub []byte, n int64) {
				for i < len(custs) && custs[i] < string(sub) {
					i++
				}
				if i < len(custs) && custs[i] == string(sub) {
					before[i] = n
				}
			})
			for i, c := range custs {
				if after := before[i] + *subs[c]; (before[i] == 0) != (after == 0) {
					ts = append(ts, transition{c, h, before[i] == 0})
				}
			}
		}
		slices.SortFunc(ts, func(a, b transition) int {
			if c := strings.Compare(a.customer, b.customer); c != 0 {
				return c
			}
			return int(int64(a.hour) - int64(b.hour))
		})
		s := newSpanSink(family, w.deltas)
		s.hourly = true
		for _, t := range ts {
			p, hasP, n, hasN := neighbours(ib, family, t.customer, t.hour)
			sign := int64(1)
			if !t.on {
				sign = -1
			}
			// Adding hour h between p and n (or taking it back).
			switch {
			case !hasP && !hasN:
				s.first(t.hour, sign)
				s.last(t.hour, sign)
			case !hasP:
				s.first(n, -sign)
				s.first(t.hour, sign)
				s.gap(t.hour, n, sign)
			case !hasN:
				s.last(p, -sign)
				s.last(t.hour, sign)
				s.gap(p, t.hour, sign)
			default:
				s.gap(p, n, -sign)
				s.gap(p, t.hour, sign)
				s.gap(t.hour, n, sign)
			}
			var err error
			if key := actHoursKey(family, t.customer, t.hour); t.on {
				err = ib.Put(key, nil)
			} else {
				err = ib.Delete(key)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// DistinctActive is the number of distinct customers with a non-zero
// counter of an activity family (act, act.digital) in hours [from, to),
// from the span counters: O(hours before to + hours after to), not
// O(customers × hours).
func (r *Rollups) DistinctActive(family string, from, to uint32) int {
	// A trend line asks once a point: the sums from hour 0 move from the
	// last point's, and the gap day keys are decoded once a view.
	n := r.sumFrom0(spanFirst(family), to) - r.sumFrom0(spanLast(family), from)
	fromKey := hourBytes(from)
	// Gaps ending at or after to: by hour up to the next whole day, then by
	// day (the day keys hold the same sub-keys, summed over the day).
	day := (to + 23) / 24 * 24
	n -= r.gapsBeforeByHour(spanGap(family), to, day, from)
	switch {
	case r.gapDays && to-from <= bigSetHours:
		// A trend point: one of many in this view, from the day keys
		// decoded once.
		n -= r.gapsBeforeByDay(spanGap(family)+daySuffix, day, from)
	case r.gapDays:
		// A report's window, once: walking each day key up to the first
		// start past the window's is cheaper than decoding them all (a
		// fifth of the kpi row at 1M).
		n -= r.gapsBefore(spanGap(family)+daySuffix, day, ^uint32(0), fromKey)
	default:
		n -= r.gapsBefore(spanGap(family), day, ^uint32(0), fromKey)
	}
	return int(n)
}

// gapsBefore counts the gaps of a gap family at keys [from, to) whose start
// (sub-key) is before start.
func (r *Rollups) gapsBefore(family string, from, to uint32, start []byte) int64 {
	var n int64
	eachHourKey(r.b, family, from, to, func(_ uint32, v []byte) bool {
		// Entries are sorted by the gap's start: stop at the first ≥ start.
		for len(v) > 0 {
			l, i := binary.Uvarint(v)
			if i <= 0 || uint64(len(v)-i) < l {
				break
			}
			p := v[i : i+int(l)]
			v = v[i+int(l):]
			cnt, j := binary.Varint(v)
			if j <= 0 || bytes.Compare(p, start) >= 0 {
				break
			}
			v = v[j:]
			n += cnt
		}
		return true
	})
	return n
}
