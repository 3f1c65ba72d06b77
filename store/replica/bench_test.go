package replica

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/sim"
	"github.com/cxtop/cxtop/store/hub"
)

// BenchmarkFullSync measures a full sync over loopback of about
// CXTOP_SYNC_BENCH_N simulated records (default 1,000,000: tickets,
// feedback and events from model/sim) from a hub into an empty store.
// The reference is the store's own ingest of the same records in pages of
// the same size, measured in the same run: the hub's fill (only the
// Store.Write calls are timed). It reports both rates and their ratio
// (docs/PERFORMANCE.md, "Sync").
//
//	CXTOP_SYNC_BENCH_N=1000000 go test ./store/replica -run '^$' -bench FullSync -benchtime 1x -timeout 30m
func BenchmarkFullSync(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("CXTOP_SYNC_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	const page = 2000
	hubSt := openStore(b, "hub.db")
	var spent time.Duration
	total := 0
	// The simulator makes about 4.8 records per ticket.
	err := sim.Generate(sim.Options{Seed: 1, End: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Days: 365,
		Tickets: max(n*10/48, 1000), Taxonomy: model.DefaultTaxonomy(), BatchSize: page},
		func(batch []model.Record) error {
			start := time.Now()
			_, err := hubSt.Write(batch)
			spent += time.Since(start)
			total += len(batch)
			return err
		})
	if err != nil {
		b.Fatal(err)
	}
	ingestRate := float64(total) / spent.Seconds()
	srv := serveHub(b, hubSt, hub.Options{}, nil)
	b.ResetTimer()
	var syncRate float64
	for i := 0; i < b.N; i++ {
		local := openStore(b, "local"+strconv.Itoa(i)+".db")
		r, err := NewHubRemote(srv.URL, "", time.Minute)
		if err != nil {
			b.Fatal(err)
		}
		c := New(local, r, Options{PageSize: page})
		start := time.Now()
		if err := c.SyncOnce(context.Background()); err != nil {
			b.Fatal(err)
		}
		syncRate = float64(total) / time.Since(start).Seconds()
		if st := c.Status(); st.Records != uint64(total) {
			b.Fatalf("synced %d of %d records", st.Records, total)
		}
	}
	b.ReportMetric(float64(total), "records")
	b.ReportMetric(syncRate, "sync-rec/s")
	b.ReportMetric(ingestRate, "ingest-rec/s")
	b.ReportMetric(syncRate/ingestRate, "sync/ingest")
}
