package store

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
)

var benchBatch = envInt("CXTOP_BENCH_BATCH", 1000)

func benchTickets(n int) []model.Record {
	rng := rand.New(rand.NewPCG(42, 42))
	recs := make([]model.Record, n)
	for i := range recs {
		t := randomTicket(rng, i)
		// Arrivals in time order, as pages from a remote come: about 10k a day.
		shift := t0.Add(time.Duration(i) * 9 * time.Second).Sub(t.CreatedAt)
		for _, p := range []*time.Time{&t.CreatedAt, &t.FirstResponseAt, &t.ResolvedAt, &t.UpdatedAt, &t.SLADueAt} {
			if !p.IsZero() {
				*p = p.Add(shift)
			}
		}
		t.History[0].At = t.CreatedAt
		recs[i] = model.Record{Ticket: t}
	}
	return recs
}

// BenchmarkIngest compares the batch API (records, five indexes, rollups,
// change log) with raw bbolt puts of the same encoded bytes in the same
// transaction sizes. Run with -benchtime=100000x so both write the same
// number of tickets; ns/op is per ticket.
func BenchmarkIngest(b *testing.B) {
	b.Run("store", func(b *testing.B) {
		recs := benchTickets(b.N)
		s, err := Open(filepath.Join(b.TempDir(), "cx.db"), Options{Create: true})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		b.ResetTimer()
		for i := 0; i < len(recs); i += benchBatch {
			if _, err := s.Write(recs[i:min(i+benchBatch, len(recs))]); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tickets/s")
	})
	b.Run("raw_bbolt", func(b *testing.B) {
		recs := benchTickets(b.N)
		values := make([][]byte, len(recs))
		for i, r := range recs {
			values[i] = storedValue(r) // the bytes the store keeps
		}
		db, err := bolt.Open(filepath.Join(b.TempDir(), "raw.db"), 0o600, &bolt.Options{InitialMmapSize: initialMmap, FreelistType: bolt.FreelistMapType})
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket(bucketTickets); return err })
		b.ResetTimer()
		for i := 0; i < len(recs); i += benchBatch {
			err := db.Update(func(tx *bolt.Tx) error {
				bk := tx.Bucket(bucketTickets)
				bk.FillPercent = fillAppend
				for j := i; j < min(i+benchBatch, len(recs)); j++ {
					if err := bk.Put([]byte(recs[j].ID()), values[j]); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tickets/s")
	})
}

// BenchmarkQueueFirstPage reads the first 50 rows of the queue of a store
// holding 100,000 tickets (cxtop bench measures 1,000,000).
func BenchmarkQueueFirstPage(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "cx.db"), Options{Create: true, NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	recs := benchTickets(100_000)
	for i := 0; i < len(recs); i += benchBatch {
		if _, err := s.Write(recs[i : i+benchBatch]); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		page, err := s.Tickets(TicketQuery{Limit: 50})
		if err != nil || len(page) != 50 {
			b.Fatal(fmt.Sprint(len(page), err))
		}
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
