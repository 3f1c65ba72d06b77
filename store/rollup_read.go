package store

import (
	"bytes"
	"encoding/binary"
	"sort"

	bolt "go.etcd.io/bbolt"
)

// Rollups reads hourly counters inside one read transaction, so a set of
// KPIs computed together sees one consistent state.
type Rollups struct {
	b *bolt.Bucket
}

// ViewRollups runs fn with a consistent view of the rollups.
func (s *Store) ViewRollups(fn func(r *Rollups) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		return fn(&Rollups{b: tx.Bucket(bucketRollups)})
	})
}

func hourBytes(h uint32) []byte {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], h)
	return b[:]
}

// scan calls fn for every key of metric with hour in [from, to).
func (r *Rollups) scan(metric string, from, to uint32, fn func(hour uint32, suffix []byte, v int64)) {
	prefix := []byte(metric + "\x00")
	c := r.b.Cursor()
	for k, v := c.Seek(append(prefix, hourBytes(from)...)); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		rest := k[len(prefix):]
		if len(rest) < 4 {
			continue
		}
		h := binary.BigEndian.Uint32(rest[:4])
		if h >= to {
			return
		}
		fn(h, rest[4:], int64(readU64(v)))
	}
}

// Sum adds metric over hours [from, to) (hour numbers from model.HourOf).
func (r *Rollups) Sum(metric string, from, to uint32) int64 {
	var n int64
	r.scan(metric, from, to, func(_ uint32, _ []byte, v int64) { n += v })
	return n
}

// Series returns metric per step of stepHours over [from, to): element i
// covers hours [from+i*step, from+(i+1)*step).
func (r *Rollups) Series(metric string, from, to, stepHours uint32) []int64 {
	if stepHours == 0 || to <= from {
		return nil
	}
	out := make([]int64, (to-from+stepHours-1)/stepHours)
	r.scan(metric, from, to, func(h uint32, _ []byte, v int64) { out[(h-from)/stepHours] += v })
	return out
}

// BySuffix sums a per-customer metric over [from, to) by customer id: its
// length is the number of distinct active customers.
func (r *Rollups) BySuffix(metric string, from, to uint32) map[string]int64 {
	out := map[string]int64{}
	r.scan(metric, from, to, func(_ uint32, suffix []byte, v int64) { out[string(suffix)] += v })
	return out
}

// Metrics lists the metric names that start with prefix, such as every
// "tk.created|type=" dimension value, in order.
func (r *Rollups) Metrics(prefix string) []string {
	var out []string
	c := r.b.Cursor()
	p := []byte(prefix)
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); {
		i := bytes.IndexByte(k, 0)
		if i < 0 {
			k, _ = c.Next()
			continue
		}
		out = append(out, string(k[:i]))
		// Skip every other hour of this metric.
		k, _ = c.Seek(append(append([]byte(nil), k[:i]...), 1))
	}
	sort.Strings(out)
	return out
}

// Hours is the first and last hour holding any count of metric; ok is
// false when there is none.
func (r *Rollups) Hours(metric string) (first, last uint32, ok bool) {
	prefix := []byte(metric + "\x00")
	c := r.b.Cursor()
	k, _ := c.Seek(prefix)
	if k == nil || !bytes.HasPrefix(k, prefix) || len(k) < len(prefix)+4 {
		return 0, 0, false
	}
	first = binary.BigEndian.Uint32(k[len(prefix):])
	k, _ = c.Seek(append([]byte(metric), 1))
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, prefix) {
		return first, first, true
	}
	return first, binary.BigEndian.Uint32(k[len(prefix):]), true
}
