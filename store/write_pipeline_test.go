package store

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
)

// dumpStore lists every key and value of every bucket but the file's own
// identity (its creation time), for comparing two stores.
func dumpStore(t *testing.T, s *Store) string {
	t.Helper()
	var b strings.Builder
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, bk *bolt.Bucket) error {
			return bk.ForEach(func(k, v []byte) error {
				if bytes.Equal(name, bucketMeta) && bytes.Equal(k, metaCreated) {
					return nil
				}
				fmt.Fprintf(&b, "%s %x %x\n", name, k, v)
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// serialWrite is what Write did before the pipeline: every record through
// Put on one goroutine.
func serialWrite(s *Store, records []model.Record) (WriteResult, error) {
	return s.Update(func(w *Writer) error {
		for _, r := range records {
			if err := w.Put(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// pipelineBatches: new records, then a batch of later versions of some of
// them, records repeated within a batch and records written again unchanged.
func pipelineBatches() [][]model.Record {
	rng := rand.New(rand.NewPCG(3, 9))
	var first, second []model.Record
	for i := range 400 {
		first = append(first, randomRecord(rng, 300))
		if i%3 == 0 {
			second = append(second, first[i]) // unchanged
		}
	}
	for range 400 {
		second = append(second, randomRecord(rng, 300)) // updates, inserts, repeats
	}
	return [][]model.Record{first, second, first}
}

// TestPipelinedWriteEqualsSerial: a batch written through the pipeline
// leaves the store byte for byte as writing each record in turn does, with
// the same counts.
func TestPipelinedWriteEqualsSerial(t *testing.T) {
	piped, serial := openTemp(t), openTemp(t)
	for i, batch := range pipelineBatches() {
		if len(batch) < pipelineMin {
			t.Fatalf("batch %d has %d records: too few to take the pipeline", i, len(batch))
		}
		got, err := piped.Write(batch)
		if err != nil {
			t.Fatal(err)
		}
		want, err := serialWrite(serial, batch)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("batch %d: pipelined %+v, serial %+v", i, got, want)
		}
		if a, b := dumpStore(t, piped), dumpStore(t, serial); a != b {
			t.Fatalf("batch %d: the stores differ", i)
		}
	}
	mustCheck(t, piped)
}

// TestPipelinedWriteUnchangedWritesNothing: a batch equal to what is stored
// is all Unchanged and moves no byte (its prepared contributions are taken
// back, and rollups whose deltas cancel are not rewritten).
func TestPipelinedWriteUnchangedWritesNothing(t *testing.T) {
	s := openTemp(t)
	rng := rand.New(rand.NewPCG(8, 8))
	var batch []model.Record // each id once, or a later version would be an update
	for i := range 150 {
		batch = append(batch, model.Record{Ticket: randomTicket(rng, i)}, model.Record{Feedback: randomFeedback(rng, i)}, model.Record{Event: randomEvent(rng, i)})
	}
	if _, err := s.Write(batch); err != nil {
		t.Fatal(err)
	}
	before := dumpStore(t, s)
	res, err := s.Write(batch)
	if err != nil || res.Inserted+res.Updated != 0 || res.Unchanged != len(batch) {
		t.Fatalf("writing the same batch again: %+v, %v", res, err)
	}
	if after := dumpStore(t, s); after != before {
		t.Fatal("an unchanged batch changed the store")
	}
}

// TestPipelinedWriteRefusesABadRecord: a record that fails its checks in
// the middle of a batch is named and nothing of the batch is written.
func TestPipelinedWriteRefusesABadRecord(t *testing.T) {
	s := openTemp(t)
	batch := append([]model.Record(nil), pipelineBatches()[0]...)
	rng := rand.New(rand.NewPCG(5, 5))
	bad := randomTicket(rng, 999)
	bad.Status = ""
	batch[300] = model.Record{Ticket: bad}
	before := dumpStore(t, s)
	_, err := s.Write(batch)
	if err == nil || !strings.Contains(err.Error(), bad.ID) || !strings.Contains(err.Error(), "status") {
		t.Fatalf("a batch with a ticket without status: %v", err)
	}
	if after := dumpStore(t, s); after != before {
		t.Fatal("a refused batch wrote something")
	}
}

// TestPutAllDecides: PutAll's decide skips and replaces records (a skipped
// one may even fail its checks), and the store ends as the same decisions
// applied one Put at a time leave it.
func TestPutAllDecides(t *testing.T) {
	piped, serial := openTemp(t), openTemp(t)
	batch := append([]model.Record(nil), pipelineBatches()[1]...)
	rng := rand.New(rand.NewPCG(6, 6))
	bad := randomTicket(rng, 998)
	bad.Status = ""
	batch[100] = model.Record{Ticket: bad}
	decide := func(i int, r model.Record) (model.Record, bool, error) {
		switch {
		case i == 100 || i%7 == 0:
			return r, false, nil
		case i%5 == 0 && r.Ticket != nil:
			c := r.Ticket.Clone()
			c.Subject += " (changed)"
			return model.Record{Ticket: c}, true, nil
		}
		return r, true, nil
	}
	_, err := piped.Update(func(w *Writer) error {
		_, err := w.PutAll(batch, decide)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = serial.Update(func(w *Writer) error {
		for i, r := range batch {
			if r, ok, _ := decide(i, r); ok {
				if err := w.Put(r); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := dumpStore(t, piped), dumpStore(t, serial); a != b {
		t.Fatal("PutAll with decisions differs from the same decisions put one by one")
	}
	mustCheck(t, piped)
	_, err = piped.Update(func(w *Writer) error {
		i, err := w.PutAll(batch, nil)
		if i != 100 {
			t.Errorf("the failing record is at %d, PutAll says %d", 100, i)
		}
		return err
	})
	if err == nil || !strings.Contains(err.Error(), bad.ID) {
		t.Fatalf("PutAll of a batch with a bad record: %v", err)
	}
}

// TestBatchWriterEqualsWrite: batches handed to a BatchWriter are written
// in order, as Write writes them one after another; a failing batch stops
// the later ones and its error comes back.
func TestBatchWriterEqualsWrite(t *testing.T) {
	async, direct := openTemp(t), openTemp(t)
	batches := pipelineBatches()
	rng := rand.New(rand.NewPCG(2, 2))
	batches = append(batches, []model.Record{{Ticket: randomTicket(rng, 5)}}) // small: not pipelined
	bw := async.NewBatchWriter()
	var want WriteResult
	for _, batch := range batches {
		if err := bw.Write(batch); err != nil {
			t.Fatal(err)
		}
		res, err := direct.Write(batch)
		if err != nil {
			t.Fatal(err)
		}
		want.Inserted += res.Inserted
		want.Updated += res.Updated
		want.Unchanged += res.Unchanged
	}
	got, err := bw.Close()
	if err != nil || got != want {
		t.Fatalf("batch writer: %+v, %v; Write one after another: %+v", got, err, want)
	}
	if a, b := dumpStore(t, async), dumpStore(t, direct); a != b {
		t.Fatal("the batch writer's store differs from Write's")
	}

	bad := randomTicket(rng, 997)
	bad.Status = ""
	before := dumpStore(t, async)
	bw = async.NewBatchWriter()
	bw.Write([]model.Record{{Ticket: bad}})
	later := randomTicket(rng, 996)
	for i := 0; i < 3; i++ { // the error may arrive before or after these are handed over
		bw.Write([]model.Record{{Ticket: later}})
	}
	if _, err := bw.Close(); err == nil || !strings.Contains(err.Error(), bad.ID) {
		t.Fatalf("a failing batch: %v", err)
	}
	if after := dumpStore(t, async); after != before {
		t.Fatal("batches after a failing one were written")
	}
}

// TestPrepareBatchAhead: batches prepared before their transactions (one
// prepared while the previous is written, a small one, one released and
// never written) leave the store as Write does.
func TestPrepareBatchAhead(t *testing.T) {
	ahead, direct := openTemp(t), openTemp(t)
	batches := pipelineBatches()
	rng := rand.New(rand.NewPCG(4, 4))
	batches = append(batches, []model.Record{{Event: randomEvent(rng, 1)}})
	unused := PrepareBatch(batches[0])
	next := PrepareBatch(batches[0])
	for i := range batches {
		cur := next
		if i+1 < len(batches) {
			next = PrepareBatch(batches[i+1])
		}
		_, err := ahead.Update(func(w *Writer) error {
			_, err := w.PutPrepared(cur, nil)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := direct.Write(batches[i]); err != nil {
			t.Fatal(err)
		}
	}
	unused.Release()
	if a, b := dumpStore(t, ahead), dumpStore(t, direct); a != b {
		t.Fatal("batches prepared ahead differ from Write's")
	}
}
