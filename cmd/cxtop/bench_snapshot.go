package main

import (
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/sim"
	"github.com/cxtop/cxtop/store"
)

// benchSnapshotCommand measures a snapshot of a large store while a writer
// commits sync-sized pages into it, for docs/PERFORMANCE.md.
func (a *app) benchSnapshotCommand() *cobra.Command {
	var (
		out      string
		pageSize int
	)
	cmd := &cobra.Command{
		Use:   "snapshot",
		Short: "Measure a snapshot's speed and the stall of a writer meanwhile",
		Long: `Commit pages of simulated records into the store at --db in a loop, as 'cxtop sync'
commits a remote's pages, and take a snapshot to --out while it does. Prints the snapshot's
MB/s and the writer's longest commit during the snapshot, beside its longest commit over as
many pages just before (the reference). The store gains the simulated records: use a copy.`,
		Example: "  cxtop bench snapshot --db big.db --out /tmp/big-snap.db",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usagef("--out is required: where to write the snapshot (it is removed after)")
			}
			if pageSize < 1 || pageSize > 5000 {
				return usagef("--page-size %d is out of range: use 1 to 5000", pageSize)
			}
			var pages [][]model.Record
			err := sim.Generate(sim.Options{Seed: 4242, End: time.Now().UTC(), Days: 2, Tickets: 40_000, Taxonomy: a.cfg.Taxonomy, BatchSize: pageSize},
				func(b []model.Record) error { pages = append(pages, b); return nil })
			if err != nil {
				return err
			}
			f, err := store.MeasureSnapshot(a.dbPath, out, pages, 20)
			if err != nil {
				return fmt.Errorf("bench snapshot: %w", err)
			}
			defer os.Remove(out)
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "machine: %s/%s, %d CPUs, %s\n\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
			fmt.Fprintln(w, "| measure | during the snapshot | reference: the same writer just before | ratio |")
			fmt.Fprintln(w, "|---|---|---|---|")
			fmt.Fprintf(w, "| snapshot of %.0f MB | %.0f MB/s (copy %s, whole snapshot %s) | target ≥ 300 MB/s | |\n",
				float64(f.Bytes)/1e6, f.MBps, f.Copy.Round(time.Millisecond), f.Total.Round(time.Millisecond))
			fmt.Fprintf(w, "| writer's longest commit of a %d-record page | %s over %d pages | %s over %d pages | %.2f |\n",
				pageSize, f.StallDuring.Round(time.Millisecond), f.PagesDuring, f.StallBefore.Round(time.Millisecond), f.PagesBefore,
				f.StallDuring.Seconds()/max(f.StallBefore.Seconds(), 1e-9))
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "where to write the snapshot (removed after)")
	cmd.Flags().IntVar(&pageSize, "page-size", 2000, "records per committed page, as sync's --page-size (1–5000)")
	return cmd
}
