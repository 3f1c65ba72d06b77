package store

import (
	"sync"

	"github.com/cxtop/cxtop/model"
)

// BatchWriter writes batches in the order they are handed over, each in
// its own transaction as Store.Write does, on a goroutine of its own: a
// batch's preparation (write_pipeline.go) starts when it is handed over,
// so it runs while the previous batch is written and its commit waits for
// the disk. For bulk loads (simulate) whose caller has the next batch
// ready before the last one is stored. After an error no later batch is
// written.
type BatchWriter struct {
	s      *Store
	jobs   chan *Prepared
	ended  chan struct{}
	mu     sync.Mutex
	err    error
	result WriteResult
}

// NewBatchWriter starts a writer; Close it to wait for the last batch.
func (s *Store) NewBatchWriter() *BatchWriter {
	// One batch waits while one is written: enough to overlap the two,
	// and memory stays two batches.
	b := &BatchWriter{s: s, jobs: make(chan *Prepared, 1), ended: make(chan struct{})}
	go b.run()
	return b
}

func (b *BatchWriter) run() {
	defer close(b.ended)
	for job := range b.jobs {
		if b.firstError() != nil {
			job.Release()
			continue
		}
		res, err := b.s.writePrepared(job)
		job.Release()
		b.mu.Lock()
		if err != nil {
			b.err = err
		}
		b.result.Inserted += res.Inserted
		b.result.Updated += res.Updated
		b.result.Unchanged += res.Unchanged
		b.mu.Unlock()
	}
}

func (b *BatchWriter) firstError() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// Write hands a batch over; it waits only while another batch is waiting.
// It returns the error of an earlier batch, if one failed (this one is
// then not written). The caller must not change the records after.
func (b *BatchWriter) Write(records []model.Record) error {
	if err := b.firstError(); err != nil {
		return err
	}
	b.jobs <- b.s.Prepare(records)
	return nil
}

// Close waits until every batch handed over is written and returns what
// they did and the first error.
func (b *BatchWriter) Close() (WriteResult, error) {
	close(b.jobs)
	<-b.ended
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.result, b.err
}
