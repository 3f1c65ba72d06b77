package main

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/sim"
	"github.com/cxtop/cxtop/store"
)

func (a *app) benchCommand() *cobra.Command {
	var (
		ingest   int
		tickets  int
		batch    int
		dir      string
		keep     bool
		existing string
	)
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure ingest, open and first-page speed beside their references",
		Long: `Measure the store on this machine and print a Markdown table for docs/PERFORMANCE.md:
ingest of simulated tickets through the batch API beside raw bbolt puts of the same bytes in the
same transaction sizes, then the open of a --tickets store and the read of its first 50 queue
rows. Uses a temporary directory unless --dir is given.`,
		Example: "  cxtop bench --tickets 1000000",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if ingest < 1000 || ingest > maxSimTickets || tickets < 1000 || tickets > maxSimTickets {
				return usagef("--ingest and --tickets must be between 1000 and %d", maxSimTickets)
			}
			if batch < 1 || batch > 100000 {
				return usagef("--batch %d is out of range: use 1 to 100000", batch)
			}
			if dir == "" {
				d, err := os.MkdirTemp("", "cxtop-bench-")
				if err != nil {
					return err
				}
				dir = d
				if !keep {
					defer os.RemoveAll(d)
				}
			}
			out := cmd.OutOrStdout()
			end := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
			fmt.Fprintf(out, "machine: %s/%s, %d CPUs, %s\n\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())

			batches, err := ticketBatches(a.cfg.Taxonomy, end, ingest, batch)
			if err != nil {
				return err
			}
			f, err := store.MeasureIngest(dir, batches)
			if err != nil {
				return fmt.Errorf("bench ingest: %w", err)
			}
			fmt.Fprintln(out, "| measure | cxtop | reference | ratio |")
			fmt.Fprintln(out, "|---|---|---|---|")
			fmt.Fprintf(out, "| ingest %d simulated tickets, %d per transaction | %.0f tickets/s | raw bbolt puts of the same bytes: %.0f/s | %.2f |\n",
				f.Records, batch, f.StorePerSec, f.RawPerSec, f.Ratio)
			fmt.Fprintf(out, "| file size after that ingest | %.1f MiB | %.1f MiB | %.2f |\n",
				mib(f.StoreFile), mib(f.RawFile), float64(f.StoreFile)/float64(f.RawFile))

			big := dir + "/big.db"
			start := time.Now()
			if existing != "" {
				big = existing
			} else if err := fillStore(big, a.cfg.Taxonomy, end, tickets); err != nil {
				return err
			}
			fill := time.Since(start)
			var opens, pages []time.Duration
			var q store.QueueFigures
			for i := 0; i < 5; i++ {
				q, err = store.MeasureOpenAndFirstPage(big)
				if err != nil {
					return fmt.Errorf("bench open: %w", err)
				}
				opens = append(opens, q.Open)
				pages = append(pages, q.FirstPage)
			}
			fmt.Fprintf(out, "| simulate %d tickets (all kinds of records) into a new store | %s | | |\n", q.Tickets, fill.Round(time.Millisecond))
			fmt.Fprintf(out, "| open that store (median of 5) | %s | | |\n", median(opens))
			fmt.Fprintf(out, "| first 50 queue rows (median of 5) | %s | | |\n", median(pages))
			fmt.Fprintf(out, "| open + first page | %s | target 50ms | |\n", median(opens)+median(pages))
			fmt.Fprintf(out, "| file size | %.1f MiB (%d bytes per ticket, all records included) | | |\n", mib(q.FileSize), q.FileSize/int64(q.Tickets))
			return benchFirstFrame(out, big, a.cfg.TUI())
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&ingest, "ingest", 200_000, "tickets to ingest for the ingest comparison")
	fl.IntVar(&tickets, "tickets", 1_000_000, "tickets in the store whose open and first page are measured")
	fl.IntVar(&batch, "batch", 1000, "records per transaction in the ingest comparison")
	fl.StringVar(&dir, "dir", "", "where to write the stores (default: a temporary directory, removed after)")
	fl.BoolVar(&keep, "keep", false, "keep the temporary directory")
	fl.StringVar(&existing, "store", "", "measure open and first page on this existing store instead of simulating one")
	return cmd
}

// ticketBatches simulates n tickets and regroups only the tickets into
// batches of the given size, so the ingest figure is tickets per second.
func ticketBatches(tax model.Taxonomy, end time.Time, n, size int) ([][]model.Record, error) {
	var all []model.Record
	err := sim.Generate(sim.Options{Seed: 1, End: end, Days: 90, Tickets: n, Taxonomy: tax}, func(b []model.Record) error {
		for _, r := range b {
			if r.Ticket != nil {
				all = append(all, r)
			}
		}
		return nil
	})
	var out [][]model.Record
	for i := 0; i < len(all); i += size {
		out = append(out, all[i:min(i+size, len(all))])
	}
	return out, err
}

func fillStore(path string, tax model.Taxonomy, end time.Time, n int) error {
	s, err := store.Open(path, store.Options{Create: true})
	if err != nil {
		return err
	}
	defer s.Close()
	return sim.Generate(sim.Options{Seed: 1, End: end, Days: 90, Tickets: n, Taxonomy: tax, BatchSize: simulateBatch}, func(b []model.Record) error {
		_, err := s.Write(b)
		return err
	})
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2].Round(10 * time.Microsecond)
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }
