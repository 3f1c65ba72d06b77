package store

import (
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
)

// The functions of this file serve `cxtop bench`: each measures a path of
// the store beside its reference, in the same process, so their ratio means
// something on a shared, noisy machine. They live here because only this
// package may reach bbolt.

// IngestMeter writes the same batches into a new store through the batch
// API and, as the reference, their encoded bytes into a bare bbolt file
// keyed by id (raw puts, one transaction per batch, fsync on both). The
// two are interleaved batch by batch, so memory stays bounded and both
// files see the same machine.
type IngestMeter struct {
	Records    int
	Store, Raw time.Duration
	st         *Store
	raw        *bolt.DB
	storePath  string
	rawPath    string
}

// NewIngestMeter creates both files (storePath, rawPath), which must not exist.
func NewIngestMeter(storePath, rawPath string) (*IngestMeter, error) {
	st, err := Open(storePath, Options{Create: true})
	if err != nil {
		return nil, err
	}
	raw, err := bolt.Open(rawPath, 0o600, &bolt.Options{InitialMmapSize: initialMmap, FreelistType: bolt.FreelistMapType})
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("raw reference %s: %w", rawPath, err)
	}
	return &IngestMeter{st: st, raw: raw, storePath: storePath, rawPath: rawPath}, nil
}

// Batch writes one batch both ways, timing each.
func (m *IngestMeter) Batch(records []model.Record) error {
	start := time.Now()
	if _, err := m.st.Write(records); err != nil {
		return err
	}
	m.Store += time.Since(start)
	m.Records += len(records)
	// The reference puts bytes ready made, as the earlier figures did.
	encoded := make([][]byte, len(records))
	for i, r := range records {
		encoded[i] = storedValue(r)
	}
	start = time.Now()
	err := m.raw.Update(func(tx *bolt.Tx) error {
		for i, r := range records {
			b, err := tx.CreateBucketIfNotExists([]byte(r.Kind()))
			if err != nil {
				return err
			}
			b.FillPercent = fillAppend
			if err := b.Put([]byte(r.ID()), encoded[i]); err != nil {
				return err
			}
		}
		return nil
	})
	m.Raw += time.Since(start)
	if err != nil {
		return fmt.Errorf("raw reference: %w", err)
	}
	return nil
}

// Close closes both files and reports their sizes.
func (m *IngestMeter) Close() (storeBytes, rawBytes int64, err error) {
	err = m.st.Close()
	if e := m.raw.Close(); err == nil {
		err = e
	}
	return fileSize(m.storePath), fileSize(m.rawPath), err
}

// MeasureRebuild recomputes every rollup, activity span and derived index
// of the store from its records in one transaction, as the upgrade of an
// older store does on its first writable open, and commits it. It returns
// the time of that rebuild and, as its reference, the time of a read that
// decodes every record once (the floor of any rebuild).
func (s *Store) MeasureRebuild() (rebuild, decodeAll time.Duration, err error) {
	start := time.Now()
	err = s.db.View(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketTickets, bucketFeedback, bucketEvents} {
			err := tx.Bucket(name).ForEach(func(k, v []byte) error {
				_, err := decodeStored(v)
				return err
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	decodeAll = time.Since(start)
	if err != nil {
		return 0, 0, err
	}
	start = time.Now()
	err = s.rebuildDerived()
	return time.Since(start), decodeAll, err
}

// ScanOpenTickets walks the queue index (every open ticket's key and
// summary) without decoding a record: the floor of a rule that judges every
// open ticket. It returns how many it saw.
func (s *Store) ScanOpenTickets() (int, error) {
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketIdxQueue).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			n++
		}
		return nil
	})
	return n, err
}

// FileSize is the size of the store's file in bytes.
func (s *Store) FileSize() int64 { return fileSize(s.path) }

// UsedBytes is the size of the pages that hold data: the file up to its
// last page, less the free pages. bbolt grows a file 16 MiB at a time and
// keeps freed pages for reuse, which on a small store can be a third of
// the file.
func (s *Store) UsedBytes() (int64, error) {
	var used int64
	err := s.db.View(func(tx *bolt.Tx) error {
		st := s.db.Stats()
		used = tx.Size() - int64(st.FreePageN+st.PendingPageN)*int64(s.db.Info().PageSize)
		return nil
	})
	return used, err
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}
