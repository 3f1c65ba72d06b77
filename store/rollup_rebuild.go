package store

import (
	"fmt"
	"runtime"
	"sync"
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

// contributionsOf decodes recs and adds up every contribution, on workers
// goroutines. A record that does not decode is an error naming the first
// such record (in recs' order), as one goroutine would have found it.
func contributionsOf(recs []storedRecord, workers int) (rollupDeltas, error) {
	workers = max(1, min(workers, len(recs)/1000)) // small chunks: not worth a goroutine
	parts := make([]rollupDeltas, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		share := recs[len(recs)*i/workers : len(recs)*(i+1)/workers]
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := rollupDeltas{}
			kb := keyBuilder{sink: d.add}
			for _, sr := range share {
				r, err := decodeStored(sr.value)
				if err != nil {
					errs[i] = fmt.Errorf("%w: %s %q: %v: run 'cxtop check'", ErrCorrupt, sr.bucket, sr.key, err)
					return
				}
				contributions(r, 1, &kb)
			}
			parts[i] = d
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	out := parts[0]
	for _, d := range parts[1:] {
		out.addAll(d)
	}
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
