package store

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
)

// IngestFigures compares the batch API with its reference: raw bbolt puts
// of the same encoded records, keyed by id, in the same transaction sizes.
// Both run in the same process on the same machine, one after the other, so
// their ratio means something on a shared, noisy machine.
type IngestFigures struct {
	Records      int
	Batches      int
	Store        time.Duration
	Raw          time.Duration
	StoreFile    int64 // bytes
	RawFile      int64
	StorePerSec  float64
	RawPerSec    float64
	Ratio        float64 // StorePerSec / RawPerSec
	StoreResults WriteResult
}

// MeasureIngest writes batches into a new store and, as the reference, the
// same records' bytes into a bare bbolt bucket, both under dir.
func MeasureIngest(dir string, batches [][]model.Record) (IngestFigures, error) {
	var f IngestFigures
	f.Batches = len(batches)
	for _, b := range batches {
		f.Records += len(b)
	}
	path := filepath.Join(dir, "ingest.db")
	s, err := Open(path, Options{Create: true})
	if err != nil {
		return f, err
	}
	start := time.Now()
	for _, b := range batches {
		res, err := s.Write(b)
		if err != nil {
			s.Close()
			return f, err
		}
		f.StoreResults.Inserted += res.Inserted
		f.StoreResults.Updated += res.Updated
		f.StoreResults.Unchanged += res.Unchanged
	}
	f.Store = time.Since(start)
	s.Close()
	f.StoreFile = fileSize(path)

	encoded := make([][][]byte, len(batches))
	for i, b := range batches {
		encoded[i] = make([][]byte, len(b))
		for j, r := range b {
			encoded[i][j] = model.AppendRecord(make([]byte, 8, 512), r)
		}
	}
	rawPath := filepath.Join(dir, "raw.db")
	db, err := bolt.Open(rawPath, 0o600, &bolt.Options{InitialMmapSize: initialMmap, FreelistType: bolt.FreelistMapType})
	if err != nil {
		return f, fmt.Errorf("raw reference: %w", err)
	}
	defer db.Close()
	start = time.Now()
	for i, b := range batches {
		err := db.Update(func(tx *bolt.Tx) error {
			for _, name := range [][]byte{bucketTickets, bucketFeedback, bucketEvents} {
				if _, err := tx.CreateBucketIfNotExists(name); err != nil {
					return err
				}
			}
			for j, r := range b {
				bk, _ := recordBucket(tx, r.Kind())
				bk.FillPercent = fillAppend
				if err := bk.Put([]byte(r.ID()), encoded[i][j]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return f, fmt.Errorf("raw reference: %w", err)
		}
	}
	f.Raw = time.Since(start)
	f.RawFile = fileSize(rawPath)
	f.StorePerSec = float64(f.Records) / f.Store.Seconds()
	f.RawPerSec = float64(f.Records) / f.Raw.Seconds()
	f.Ratio = f.StorePerSec / f.RawPerSec
	return f, nil
}

// QueueFigures is the cost of what the console does first: open the store
// and read the first page of the queue.
type QueueFigures struct {
	Open      time.Duration
	FirstPage time.Duration
	Rows      int
	FileSize  int64
	Tickets   int
}

// MeasureOpenAndFirstPage opens the store at path read-only and reads the
// first 50 rows of the queue.
func MeasureOpenAndFirstPage(path string) (QueueFigures, error) {
	var q QueueFigures
	start := time.Now()
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		return q, err
	}
	defer s.Close()
	q.Open = time.Since(start)
	start = time.Now()
	rows, err := s.Tickets(TicketQuery{Limit: 50})
	if err != nil {
		return q, err
	}
	q.FirstPage = time.Since(start)
	q.Rows = len(rows)
	q.FileSize = fileSize(path)
	err = s.db.View(func(tx *bolt.Tx) error {
		q.Tickets = tx.Bucket(bucketTickets).Stats().KeyN
		return nil
	})
	return q, err
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}
