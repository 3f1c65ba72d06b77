package sync

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/cxtop/cxtop/internal/fake"
	"github.com/cxtop/cxtop/store/hub"
)

// BenchmarkFullSync measures a full sync over loopback of CXTOP_SYNC_BENCH_N
// records (default 1,000,000) from a hub into an empty store, and, in the
// same run, the store's own ingest rate for the same records in pages of
// the same size. It reports both rates and their ratio (docs/PERFORMANCE.md).
//
//	CXTOP_SYNC_BENCH_N=1000000 go test ./store/sync -run '^$' -bench FullSync -benchtime 1x
func BenchmarkFullSync(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("CXTOP_SYNC_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	const page = 2000
	hubSt := openStore(b, "hub.db")
	for i := 0; i < n; i += page {
		if _, err := hubSt.Write(fake.Records(1, i, min(page, n-i))); err != nil {
			b.Fatal(err)
		}
	}
	srv := serveHub(b, hubSt, hub.Options{}, nil)
	b.ResetTimer()
	var syncRate, ingestRate float64
	for i := 0; i < b.N; i++ {
		// The store's own ingest: the same records, pages of the same size.
		ref := openStore(b, "ref"+strconv.Itoa(i)+".db")
		var spent time.Duration
		for j := 0; j < n; j += page {
			recs := fake.Records(1, j, min(page, n-j))
			start := time.Now()
			if _, err := ref.Write(recs); err != nil {
				b.Fatal(err)
			}
			spent += time.Since(start)
		}
		ingestRate = float64(n) / spent.Seconds()

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
		syncRate = float64(n) / time.Since(start).Seconds()
		if st := c.Status(); st.Records != uint64(n) {
			b.Fatalf("synced %d of %d records", st.Records, n)
		}
	}
	b.ReportMetric(syncRate, "sync-rec/s")
	b.ReportMetric(ingestRate, "ingest-rec/s")
	b.ReportMetric(syncRate/ingestRate, "sync/ingest")
}
