package store

import (
	"sync"
	"time"

	"github.com/cxtop/cxtop/model"
)

// SnapshotFigures are a snapshot's speed and what a writer committing pages
// meanwhile went through, beside the same writer's commits just before the
// snapshot (the reference, measured in the same run).
type SnapshotFigures struct {
	Bytes int64
	Copy  time.Duration // the snapshot's read transaction
	Total time.Duration // the whole snapshot: copy, description, syncs, rename
	MBps  float64       // Bytes / Copy, in MB (10^6 bytes) per second
	// The writer's longest commit (the stall it sees) and commit count
	// during the snapshot, and before it, over as many pages.
	StallDuring, StallBefore time.Duration
	PagesDuring, PagesBefore int
}

// MeasureSnapshot commits pages into the store at path in a loop, the way
// sync commits a remote's pages, and takes a snapshot to out while it does:
// the writer's longest commit before and during the snapshot are the stall
// it saw. The pages are written in turn, again from the first when all are
// written (rewriting a record the same way is a cheap no-op, so give enough).
func MeasureSnapshot(path, out string, pages [][]model.Record, before int) (SnapshotFigures, error) {
	var f SnapshotFigures
	s, err := Open(path, Options{})
	if err != nil {
		return f, err
	}
	defer s.Close()
	var (
		mu      sync.Mutex
		during  bool
		werr    error
		stop    = make(chan struct{})
		done    = make(chan struct{})
		started = make(chan struct{})
	)
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			t0 := time.Now()
			if _, err := s.Write(pages[i%len(pages)]); err != nil {
				mu.Lock()
				werr = err
				mu.Unlock()
				return
			}
			d := time.Since(t0)
			mu.Lock()
			if during {
				f.PagesDuring++
				f.StallDuring = max(f.StallDuring, d)
			} else if f.PagesBefore < before {
				f.PagesBefore++
				f.StallBefore = max(f.StallBefore, d)
				if f.PagesBefore == before {
					close(started)
				}
			}
			mu.Unlock()
		}
	}()
	select {
	case <-started:
	case <-done:
	}
	mu.Lock()
	during = true
	mu.Unlock()
	t0 := time.Now()
	res, err := s.Snapshot(out, SnapshotOptions{})
	f.Total = time.Since(t0)
	mu.Lock()
	during = false
	mu.Unlock()
	close(stop)
	<-done
	if err != nil {
		return f, err
	}
	if werr != nil {
		return f, werr
	}
	f.Bytes, f.Copy = res.Bytes, res.Copy
	f.MBps = float64(res.Bytes) / 1e6 / res.Copy.Seconds()
	return f, nil
}
