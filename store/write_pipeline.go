package store

import (
	"errors"
	"sync/atomic"

	"github.com/cxtop/cxtop/model"
)

// A large Write is a pipeline of two goroutines (issue 14): a preparer
// checks each record, encodes it, builds its index entries and adds its
// rollup contributions to a deltas map of its own, none of which reads the
// store; the writer, inside the transaction, takes the records in order,
// reads the stored versions, takes back their contributions and puts
// records and index entries. The preparer starts before the transaction
// has the writer lock, so it also runs while another write commits. At the
// end the writer's deltas (old versions taken back) are added to the
// preparer's. A record equal to the stored one takes its prepared
// contributions back, so it still changes nothing.

// pipelineMin: a smaller batch is written on one goroutine, where handing
// records over would cost more than it saves.
const pipelineMin = 256

// pipelineChunk is how many records the preparer hands over at a time.
const pipelineChunk = 64

var errPreparerStopped = errors.New("write: the preparation stopped")

type preparer struct {
	records []model.Record
	out     []prepared
	deltas  rollupDeltas
	ready   chan int // records prepared so far; closed when the preparer ends
	stop    atomic.Bool
	done    int // as far as the writer has seen
	ended   bool
	light   bool // a bulk load's: checked and encoded only
}

func startPreparer(records []model.Record, light bool) *preparer {
	p := &preparer{
		light:   light,
		records: records,
		out:     make([]prepared, len(records)),
		deltas:  rollupDeltas{},
		// Room for every hand-over, so the preparer never waits on a
		// writer that gave up.
		ready: make(chan int, len(records)/pipelineChunk+2),
	}
	go p.run()
	return p
}

func (p *preparer) run() {
	defer close(p.ready)
	kb := keyBuilder{sink: p.deltas.sink(), hourly: true}
	for i, r := range p.records {
		if p.stop.Load() {
			return
		}
		// A record that fails its checks is marked and the rest prepared:
		// the writer may be told to skip it (PutAll's decide).
		if err := model.CheckRecord(r); err != nil {
			p.out[i].err = err
		} else if p.light {
			p.out[i] = prepared{encoded: storedValue(r), light: true}
		} else {
			p.out[i] = prepared{encoded: storedValue(r), entries: recordIndexEntries(r), counted: true}
			contributions(r, 1, &kb)
		}
		if (i+1)%pipelineChunk == 0 {
			p.ready <- i + 1
		}
	}
	p.ready <- len(p.records)
}

// get waits until record i is prepared.
func (p *preparer) get(i int) prepared {
	for i >= p.done {
		n, ok := <-p.ready
		if !ok {
			return prepared{err: errPreparerStopped}
		}
		p.done = n
	}
	return p.out[i]
}

// finish stops the preparer and waits for it to end; after it, the
// preparer's deltas belong to the caller.
func (p *preparer) finish() {
	if p.ended {
		return
	}
	p.stop.Store(true)
	for range p.ready {
	}
	p.ended = true
}

// Decide is called by PutAll in the transaction just before a record is
// put: it returns the record to put — r itself, or a changed copy — or
// false to skip it.
type Decide func(i int, r model.Record) (model.Record, bool, error)

// PutAll puts records in order as Put does one by one; a large batch is
// prepared on a second goroutine (see above). decide, when not nil, sees
// each record first. On an error it returns the failing record's position.
func (w *Writer) PutAll(records []model.Record, decide Decide) (int, error) {
	if len(records) < pipelineMin {
		for i, r := range records {
			if decide != nil {
				var ok bool
				var err error
				if r, ok, err = decide(i, r); err != nil || !ok {
					if err != nil {
						return i, err
					}
					continue
				}
			}
			if err := w.Put(r); err != nil {
				return i, err
			}
		}
		return -1, nil
	}
	p := startPreparer(records, w.bulk)
	defer p.finish()
	return w.putPrepared(p, records, decide)
}

// Prepared is a batch whose preparation started before its transaction
// (PrepareBatch), so it runs while an earlier batch is written: a sync
// prepares the page it has just fetched while the previous page commits.
type Prepared struct {
	records []model.Record
	p       *preparer // nil for a small batch
}

// PrepareBatch starts preparing records for Writer.PutPrepared. The caller
// must not change them after. A batch never written costs only the CPU of
// its preparation (call Release to stop it early).
func PrepareBatch(records []model.Record) *Prepared {
	return prepareBatch(records, false)
}

// Prepare is PrepareBatch for this store: during a bulk load
// (BeginBulkLoad) a batch is only checked and encoded, as the load puts
// no index entry and no rollup until its end. A batch prepared so and
// written by a normal write still gets them (put makes them then).
func (s *Store) Prepare(records []model.Record) *Prepared {
	return prepareBatch(records, s.bulkHint.Load())
}

func prepareBatch(records []model.Record, light bool) *Prepared {
	b := &Prepared{records: records}
	if len(records) >= pipelineMin {
		b.p = startPreparer(records, light)
	}
	return b
}

// Release stops the preparation of a batch that will not be written.
func (b *Prepared) Release() {
	if b != nil && b.p != nil {
		b.p.finish()
	}
}

// PutPrepared is PutAll for a batch prepared with PrepareBatch.
func (w *Writer) PutPrepared(b *Prepared, decide Decide) (int, error) {
	if b.p == nil {
		return w.PutAll(b.records, decide)
	}
	defer b.p.finish()
	return w.putPrepared(b.p, b.records, decide)
}

// putPrepared puts the records p prepares. A record decide skips or
// replaces takes its prepared contributions back; a replacement is put the
// plain way.
func (w *Writer) putPrepared(p *preparer, records []model.Record, decide Decide) (int, error) {
	for i, r := range records {
		pr := p.get(i)
		if errors.Is(pr.err, errPreparerStopped) {
			return i, pr.err
		}
		if decide != nil {
			put, ok, err := decide(i, r)
			if err != nil {
				return i, err
			}
			if !ok || put.Ticket != r.Ticket || put.Feedback != r.Feedback || put.Event != r.Event {
				if pr.counted {
					contributions(r, -1, &w.keys)
				}
				if !ok {
					continue
				}
				if err := w.Put(put); err != nil {
					return i, err
				}
				continue
			}
		}
		if pr.err != nil {
			return i, pr.err
		}
		if err := w.put(r, pr); err != nil {
			return i, err
		}
	}
	p.finish()
	p.deltas.addAll(w.deltas)
	w.deltas = p.deltas
	w.keys.sink = w.deltas.sink()
	return -1, nil
}
