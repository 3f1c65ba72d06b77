package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Packed rollups: one bbolt key per metric family and hour (family NUL
// hour), whose value lists that hour's counters by sub-key — "" for the
// family's total, "dim=value" for a breakdown, the customer id for the
// per-customer activity families. A batch then reads and writes one value
// per family and hour instead of one per counter: rollups were half the
// cost of ingest when every counter was its own key.
//
// Value: entries sorted by sub-key, each uvarint(len(sub)) · sub ·
// varint(count); zero counters are dropped and an empty value deleted, so
// one set of counters has exactly one encoding.

// suffixFamilies are the per-customer metrics: their sub-keys are customer
// ids, and the bare family name means all of them.
var suffixFamilies = map[string]bool{}

func init() {
	for _, f := range perSuffixFamilies {
		suffixFamilies[f] = true
	}
}

func packedKey(dst []byte, family string, hour uint32) []byte {
	dst = append(dst, family...)
	return append(dst, 0, byte(hour>>24), byte(hour>>16), byte(hour>>8), byte(hour))
}

// Day keys: every counter without a suffix is also kept per day, under its
// family with daySuffix at the day's first hour, so a sum over a long
// window reads one key per whole day and hourly keys only at its ragged
// ends (rollup_read.go). Per-customer families are hourly only: they are
// the biggest, and read through spans or per hour.
const daySuffix = "@day"

func packedDayKey(dst []byte, family string, hour uint32) []byte {
	dst = append(dst, family...)
	dst = append(dst, daySuffix...)
	hour -= hour % 24
	return append(dst, 0, byte(hour>>24), byte(hour>>16), byte(hour>>8), byte(hour))
}

// eachHourKey calls fn with the hour and value of each of family's packed
// keys in b at hours [from, to), in hour order, until fn returns false. A
// family's keys sort together, before its day keys and breakdowns (0 sorts
// before '@' and '|'), so the walk ends at the first key that is not one.
func eachHourKey(b *bolt.Bucket, family string, from, to uint32, fn func(hour uint32, v []byte) bool) {
	prefix := append([]byte(family), 0)
	c := b.Cursor()
	for k, v := c.Seek(packedKey(nil, family, from)); k != nil && len(k) == len(prefix)+4 && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		h := binary.BigEndian.Uint32(k[len(prefix):])
		if h >= to || !fn(h, v) {
			return
		}
	}
}

// splitPackedKey returns the family and hour of a packed key.
func splitPackedKey(k []byte) (family string, hour uint32, ok bool) {
	if len(k) < 5 || k[len(k)-5] != 0 {
		return "", 0, false
	}
	return string(k[:len(k)-5]), binary.BigEndian.Uint32(k[len(k)-4:]), true
}

// splitMetric parses "family|sub" (sub may be empty).
func splitMetric(metric string) (family, sub string) {
	family, sub, _ = strings.Cut(metric, "|")
	return family, sub
}

var errBadPacked = errors.New("malformed rollup value")

// eachEntry calls fn for every counter of a packed value, in sub-key order.
func eachEntry(v []byte, fn func(sub []byte, n int64)) error {
	for len(v) > 0 {
		l, k := binary.Uvarint(v)
		if k <= 0 || uint64(len(v)-k) < l {
			return errBadPacked
		}
		sub := v[k : k+int(l)]
		v = v[k+int(l):]
		n, k := binary.Varint(v)
		if k <= 0 {
			return errBadPacked
		}
		v = v[k:]
		fn(sub, n)
	}
	return nil
}

// findEntry returns the counter of sub in a packed value. Entries are
// sorted by sub-key, so it stops at the first one past sub: the family's
// total ("") is always the first, and Sum reads most often.
func findEntry(v, sub []byte) (int64, bool) {
	for len(v) > 0 {
		l, k := binary.Uvarint(v)
		if k <= 0 || uint64(len(v)-k) < l {
			return 0, false
		}
		s := v[k : k+int(l)]
		v = v[k+int(l):]
		n, k := binary.Varint(v)
		if k <= 0 {
			return 0, false
		}
		v = v[k:]
		switch c := bytes.Compare(s, sub); {
		case c == 0:
			return n, true
		case c > 0:
			return 0, false
		}
	}
	return 0, false
}

type packedEntry struct {
	sub string
	n   int64
}

func encodePacked(entries []packedEntry) []byte {
	slices.SortFunc(entries, func(a, b packedEntry) int { return strings.Compare(a.sub, b.sub) })
	var out []byte
	for _, e := range entries {
		if e.n == 0 {
			continue
		}
		out = binary.AppendUvarint(out, uint64(len(e.sub)))
		out = append(out, e.sub...)
		out = binary.AppendVarint(out, e.n)
	}
	return out
}

// mergePacked adds deltas to the counters of old and returns the new value
// (nil when every counter is zero). It walks old's entries (sorted by
// sub-key) beside the sorted sub-keys of deltas and appends the result
// directly: the same bytes as encodePacked of the sums, without a string
// per entry (rollup values hold tens of counters and a batch rewrites
// thousands of them).
func mergePacked(old []byte, deltas map[string]*int64) ([]byte, error) {
	subs := make([]string, 0, len(deltas))
	for sub := range deltas {
		subs = append(subs, sub)
	}
	slices.Sort(subs)
	out := make([]byte, 0, len(old)+len(subs)*12)
	j, sorted := 0, true
	var prev []byte
	err := eachEntry(old, func(sub []byte, n int64) {
		if prev != nil && bytes.Compare(sub, prev) <= 0 {
			sorted = false
		}
		prev = sub
		for j < len(subs) && subs[j] < string(sub) {
			out = appendEntry(out, subs[j], *deltas[subs[j]])
			j++
		}
		if j < len(subs) && subs[j] == string(sub) {
			n += *deltas[subs[j]]
			j++
		}
		out = appendEntry(out, sub, n)
	})
	if err != nil {
		return nil, err
	}
	if !sorted {
		return mergeUnsorted(old, deltas)
	}
	for ; j < len(subs); j++ {
		out = appendEntry(out, subs[j], *deltas[subs[j]])
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// appendEntry appends one counter; a zero one is dropped.
func appendEntry[S string | []byte](out []byte, sub S, n int64) []byte {
	if n == 0 {
		return out
	}
	out = binary.AppendUvarint(out, uint64(len(sub)))
	out = append(out, sub...)
	return binary.AppendVarint(out, n)
}

// mergeUnsorted is mergePacked for a value whose entries are out of order
// (no cxtop writes one; check reports it): it sorts them first.
func mergeUnsorted(old []byte, deltas map[string]*int64) ([]byte, error) {
	entries := make([]packedEntry, 0, len(deltas)+8)
	seen := 0
	err := eachEntry(old, func(sub []byte, n int64) {
		if d := deltas[string(sub)]; d != nil {
			n += *d
			seen++
		}
		entries = append(entries, packedEntry{string(sub), n})
	})
	if err != nil {
		return nil, err
	}
	if seen < len(deltas) {
		// The old entries are sorted by sub-key (packed values are
		// canonical): a binary search finds those merged above. A scan
		// of the entries for each new sub-key made an hour of thousands
		// of customers quadratic.
		stored := entries[:len(entries):len(entries)]
		sorted := slices.IsSortedFunc(stored, func(a, b packedEntry) int { return strings.Compare(a.sub, b.sub) })
		for sub, d := range deltas {
			var found bool
			if sorted {
				_, found = slices.BinarySearchFunc(stored, sub, func(e packedEntry, s string) int { return strings.Compare(e.sub, s) })
			} else { // not canonical (cxtop check says so): as before
				found = slices.ContainsFunc(stored, func(e packedEntry) bool { return e.sub == sub })
			}
			if !found {
				entries = append(entries, packedEntry{sub, *d})
			}
		}
	}
	return encodePacked(entries), nil
}

// zeroDeltas reports whether every delta of a key is zero (contributions
// that cancelled out), so its value need not be read or written.
func zeroDeltas(deltas map[string]*int64) bool {
	for _, d := range deltas {
		if *d != 0 {
			return false
		}
	}
	return true
}

// rollupDeltas gathers contributions: packed key → sub-key → delta. Only a
// key or sub-key new to the batch allocates.
type rollupDeltas map[string]map[string]*int64

// sink returns an add for a keyBuilder that is cheaper than d.add on the
// write path (deltaSink). d must not lose keys while it is in use.
func (d rollupDeltas) sink() func(pk, sub []byte, delta int64) {
	return (&deltaSink{d: d}).add
}

// deltaSink adds to a rollupDeltas as its add does, for the writer's
// contributions, which were 10-15 % of the CPU of an ingest (issue 14):
// a record's contributions come in runs on one family and hour,
// alternating with that family's day key (keyBuilder.add), so the sub-key
// maps of the last two packed keys are kept and most contributions hash
// only their sub-key; and a new sub-key's counter is carved from a slab
// instead of allocated alone (fewer objects for the GC to mark).
type deltaSink struct {
	d       rollupDeltas
	lastKey [2][]byte
	lastMap [2]map[string]*int64
	next    int
	slab    []int64
}

func (s *deltaSink) add(pk, sub []byte, delta int64) {
	var m map[string]*int64
	switch {
	case s.lastMap[0] != nil && bytes.Equal(pk, s.lastKey[0]):
		m = s.lastMap[0]
	case s.lastMap[1] != nil && bytes.Equal(pk, s.lastKey[1]):
		m = s.lastMap[1]
	default:
		m = s.d[string(pk)]
		if m == nil {
			m = map[string]*int64{}
			s.d[string(pk)] = m
		}
		i := s.next
		s.next ^= 1
		s.lastKey[i] = append(s.lastKey[i][:0], pk...)
		s.lastMap[i] = m
	}
	if p := m[string(sub)]; p != nil {
		*p += delta
		return
	}
	if len(s.slab) == 0 {
		s.slab = make([]int64, 512)
	}
	p := &s.slab[0]
	s.slab = s.slab[1:]
	*p = delta
	m[string(sub)] = p
}

func (d rollupDeltas) add(pk, sub []byte, delta int64) {
	m := d[string(pk)]
	if m == nil {
		m = map[string]*int64{}
		d[string(pk)] = m
	}
	if p := m[string(sub)]; p != nil {
		*p += delta
		return
	}
	m[string(sub)] = &delta
}
