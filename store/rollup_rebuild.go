package store

import (
	"fmt"
	"runtime"
	"slices"
	"sync"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
)

// A rebuild decodes every record and adds its contributions: the decoding
// alone is half of it, and each record's share depends on that record
// alone, and sums do not depend on their order. So a chunk of records is
// split between the cores, each decoding its share into deltas of its
// own, and the deltas are added together before they are merged into the
// staged rollups.

// storedRecord is a record's bucket, key and stored value, as read in
// the rebuild's transaction (valid until it writes).
type storedRecord struct {
	bucket, key, value []byte
}

// rebuildWorkers is how many goroutines decode a chunk: one a core, at
// most four (past that the merge of their deltas costs what they save).
func rebuildWorkers() int { return max(1, min(runtime.GOMAXPROCS(0), 4)) }

// decodeWorkers is how many goroutines decode recs: at most workers, and
// one for small chunks (not worth a goroutine).
func decodeWorkers(recs []storedRecord, workers int) int {
	return max(1, min(workers, len(recs)/1000))
}

// eachDecoded decodes recs on workers goroutines (decodeWorkers), each a
// contiguous share in order, and calls fn with the goroutine's number and
// each record of its share. A record that does not decode is an error
// naming the first such record in recs' order, as one goroutine would
// have found it.
func eachDecoded(recs []storedRecord, workers int, fn func(worker int, r model.Record)) error {
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		share := recs[len(recs)*i/workers : len(recs)*(i+1)/workers]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, sr := range share {
				r, err := decodeStored(sr.value)
				if err != nil {
					errs[i] = fmt.Errorf("%w: %s %q: %v: run 'cxtop check'", ErrCorrupt, sr.bucket, sr.key, err)
					return
				}
				fn(i, r)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// contributionsOf decodes recs and adds up every contribution, on workers
// goroutines (eachDecoded).
func contributionsOf(recs []storedRecord, workers int) (rollupDeltas, error) {
	workers = decodeWorkers(recs, workers)
	// Hourly deltas through the writer's sink, the day keys derived once
	// at the end, as a write's flush does: the contributions were 15 % of
	// a bulk load's CPU (issue 14).
	parts := make([]rollupDeltas, workers)
	kbs := make([]keyBuilder, workers)
	for i := range parts {
		parts[i] = rollupDeltas{}
		kbs[i] = keyBuilder{sink: parts[i].sink(), hourly: true}
	}
	if err := eachDecoded(recs, workers, func(i int, r model.Record) { contributions(r, 1, &kbs[i]) }); err != nil {
		return nil, err
	}
	out := parts[0]
	for _, d := range parts[1:] {
		out.addAll(d)
	}
	addDayDeltas(out)
	return out, nil
}

// addAll adds every delta of o to d (o's maps may be taken over: o is not
// used after).
func (d rollupDeltas) addAll(o rollupDeltas) {
	for pk, subs := range o {
		m := d[pk]
		if m == nil {
			d[pk] = subs
			continue
		}
		for sub, p := range subs {
			if q := m[sub]; q != nil {
				*q += *p
			} else {
				m[sub] = p
			}
		}
	}
}

// recreateBucket makes name an empty bucket.
func recreateBucket(tx *bolt.Tx, name []byte) error {
	if tx.Bucket(name) != nil {
		if err := tx.DeleteBucket(name); err != nil {
			return err
		}
	}
	_, err := tx.CreateBucket(name)
	return err
}

// finishRebuild is a rebuild's last step, in its last transaction: from
// the sums of every record, staged (mem nil) or in memory (staged nil),
// it derives the activity spans and bucketActHours, writes the rollups
// anew in key order (bbolt appends to the last page instead of splitting
// pages all over the bucket), drops the staging and writes the version.
func finishRebuild(tx *bolt.Tx, staged *bolt.Bucket, mem rollupDeltas) error {
	spans, err := rebuildActHours(tx, func(family string) map[string][]uint32 {
		if staged != nil {
			return stagedHours(staged, family)
		}
		return activeHours(family, mem)
	})
	if err != nil {
		return err
	}
	if mem == nil {
		mem = spans
	} else {
		mem.addAll(spans)
	}
	keys := make([]string, 0, len(mem))
	for k := range mem {
		keys = append(keys, k)
	}
	slices.Sort(keys)

	if err := recreateBucket(tx, bucketRollups); err != nil {
		return err
	}
	rb := tx.Bucket(bucketRollups)
	rb.FillPercent = fillAppend
	put := func(k, old []byte, deltas map[string]*int64) error {
		v := old
		if deltas != nil {
			var err error
			if v, err = mergePacked(old, deltas); err != nil {
				return fmt.Errorf("%w: rollup %s: %v", ErrCorrupt, describeRollupKey(k), err)
			}
		}
		if len(v) == 0 {
			return nil
		}
		return rb.Put(k, v)
	}
	// The staged keys and the keys in memory, merged in order.
	var c *bolt.Cursor
	var sk, sv []byte
	if staged != nil {
		c = staged.Cursor()
		sk, sv = c.First()
	}
	for _, k := range keys {
		for sk != nil && string(sk) < k {
			if err := put(sk, sv, nil); err != nil {
				return err
			}
			sk, sv = c.Next()
		}
		var old []byte
		if sk != nil && string(sk) == k {
			old = sv
			sk, sv = c.Next()
		}
		if err := put([]byte(k), old, mem[k]); err != nil {
			return err
		}
	}
	for ; sk != nil; sk, sv = c.Next() {
		if err := put(sk, sv, nil); err != nil {
			return err
		}
	}
	if err := dropStaging(tx); err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(metaRollupVersion, u64(rollupVersion))
}

// finishRebuildInPlace is finishRebuild for sums staged in the rollups
// bucket itself (rebuildDerivedTo): it derives the activity spans and
// bucketActHours from them and adds the spans to the rollups, as a
// write's flush merges its deltas; every other key stays as staged.
func finishRebuildInPlace(tx *bolt.Tx) error {
	rb := tx.Bucket(bucketRollups)
	spans, err := rebuildActHours(tx, func(family string) map[string][]uint32 { return stagedHours(rb, family) })
	if err != nil {
		return err
	}
	w := &Writer{tx: tx, meta: tx.Bucket(bucketMeta), deltas: spans}
	if err := w.mergeDeltasInto(rb); err != nil {
		return err
	}
	if err := dropStaging(tx); err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(metaRollupVersion, u64(rollupVersion))
}

// dropStaging deletes a rebuild's staging bucket if there is one.
func dropStaging(tx *bolt.Tx) error {
	if tx.Bucket(bucketRollupsStaging) == nil {
		return nil
	}
	return tx.DeleteBucket(bucketRollupsStaging)
}

// rebuildActHours makes bucketActHours anew from each span family's active
// hours per customer (hoursOf) and returns the activity spans they give.
func rebuildActHours(tx *bolt.Tx, hoursOf func(family string) map[string][]uint32) (rollupDeltas, error) {
	if err := recreateBucket(tx, bucketActHours); err != nil {
		return nil, err
	}
	ib := tx.Bucket(bucketActHours)
	ib.FillPercent = fillAppend
	spans := rollupDeltas{}
	for _, family := range spanFamilies {
		hours := hoursOf(family)
		deriveSpans(family, hours, spans)
		custs := make([]string, 0, len(hours))
		for c := range hours {
			custs = append(custs, c)
		}
		slices.Sort(custs)
		for _, cust := range custs {
			for _, h := range hours[cust] {
				if err := ib.Put(actHoursKey(family, cust, h), nil); err != nil {
					return nil, err
				}
			}
		}
	}
	return spans, nil
}

// stagedHours lists, per customer, the hours in which an activity family
// has a non-zero counter in a bucket of packed rollups (ascending: keys
// come in hour order).
func stagedHours(b *bolt.Bucket, family string) map[string][]uint32 {
	hours := map[string][]uint32{}
	// Every hour: model.HourOf's hours are far below the last uint32.
	eachHourKey(b, family, 0, ^uint32(0), func(h uint32, v []byte) bool {
		_ = eachEntry(v, func(sub []byte, n int64) { // a malformed value: cxtop check says so
			if n != 0 {
				hours[string(sub)] = append(hours[string(sub)], h)
			}
		})
		return true
	})
	return hours
}
