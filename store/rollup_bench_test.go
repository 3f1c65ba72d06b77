package store

import (
	"os"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model/kpi"
)

// BenchmarkKPIs computes every KPI (with its baseline) over a 30-day window
// of an existing store, as `cxtop kpi --window 30d` does:
//
//	CXTOP_KPI_BENCH_DB=/tmp/1m.db CXTOP_KPI_BENCH_AT=2026-11-01T00:00:00Z \
//	  go test ./store -run '^$' -bench KPIs
//
// docs/PERFORMANCE.md ("KPIs") compares it with sqlite3 on the same data.
func BenchmarkKPIs(b *testing.B) {
	path := os.Getenv("CXTOP_KPI_BENCH_DB")
	if path == "" {
		b.Skip("set CXTOP_KPI_BENCH_DB to a store (cxtop simulate --tickets 1000000)")
	}
	at, err := time.Parse(time.RFC3339, os.Getenv("CXTOP_KPI_BENCH_AT"))
	if err != nil {
		b.Fatalf("CXTOP_KPI_BENCH_AT: %v", err)
	}
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	w, _ := kpi.NewWindow(at, 30*24*time.Hour)
	// ROI needs a programme cost: the one kpis-sqlite-query.sql uses.
	share := 0.3
	settings, err := kpi.FromConfig(kpi.Config{ProgrammeCost: 5_000_000_000, BenefitShare: &share}, kpi.ProgrammeConfig{})
	if err != nil {
		b.Fatal(err)
	}
	all := settings.Defs
	// digital_adoption alone reads every customer's hourly activity of both
	// windows (docs/PERFORMANCE.md): shown apart from the others.
	var rest, adoption []kpi.Def
	for _, d := range all {
		if d.ID == "digital_adoption" {
			adoption = append(adoption, d)
		} else {
			rest = append(rest, d)
		}
	}
	for _, c := range []struct {
		name string
		defs []kpi.Def
	}{{"all", all}, {"all_but_digital_adoption", rest}, {"digital_adoption", adoption}} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				s.ViewRollups(func(r *Rollups) error {
					if rep := kpi.Compute(r, w, c.defs, nil); len(rep.KPIs) != len(c.defs) {
						b.Fatal("missing KPIs")
					}
					return nil
				})
			}
		})
	}
}
