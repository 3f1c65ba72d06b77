package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/sim"
	"github.com/cxtop/cxtop/store"
)

// Bounds of simulate's flags: a decade of history, ten million tickets.
const (
	maxSimDays    = 3650
	maxSimTickets = 10_000_000
)

// simulateBatch is the records per transaction: history is written in
// bulk, so fewer, larger commits (and fsyncs) are faster.
const simulateBatch = 5000

// simulateAhead is how many batches the generation may run ahead of the
// writes: one keeps both goroutines busy, two absorb uneven batches.
const simulateAhead = 2

func (a *app) simulateCommand() *cobra.Command {
	var (
		days    int
		tickets int
		endFlag string
		seed    uint64
	)
	cmd := &cobra.Command{
		Use:   "simulate",
		Short: "Fill the store with realistic simulated history",
		Long: `Write simulated tickets, feedback and journey events into the store: arrivals by hour
and weekday, log-normal resolution times, CSAT and NPS that depend on segment and on how the
ticket went, chatbot ratings, A/B form sessions, orders and revenue. The same --seed and --end
give the same records, so running it again rewrites them rather than adding more.`,
		Example: "  cxtop simulate --db cx.db --days 90\n  cxtop simulate --db big.db --tickets 1000000 --end 2026-11-01T00:00:00Z",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if days < 1 || days > maxSimDays {
				return usagef("--days %d is out of range: use 1 to %d", days, maxSimDays)
			}
			if tickets < 0 || tickets > maxSimTickets {
				return usagef("--tickets %d is out of range: use 0 (the default rate) to %d", tickets, maxSimTickets)
			}
			end, err := timeFlag("--end", endFlag, time.Now().UTC().Truncate(time.Second))
			if err != nil {
				return err
			}
			s, err := a.openStore(true)
			if err != nil {
				return err
			}
			defer s.Close()
			// A bulk write: the collector runs less often (store.BulkGC says why).
			defer store.BulkGC()()
			start := time.Now()
			var counts [3]int
			// History is generated in time order: the time of a batch's
			// last record says how much of it is done.
			prog := a.progress("simulate", "records")
			defer prog.Done()
			span := time.Duration(days) * 24 * time.Hour
			opts := sim.Options{Seed: seed, End: end, Days: days, Tickets: tickets, Taxonomy: a.cfg.Taxonomy, BatchSize: simulateBatch}
			_, err = simulateInto(s.Store, opts, func(batch []model.Record) {
				if len(batch) > 0 {
					at := recordTime(batch[len(batch)-1])
					prog.Update(1-float64(end.Sub(at))/float64(span), int64(counts[0]+counts[1]+counts[2]+len(batch)))
				}
				for _, r := range batch {
					switch {
					case r.Ticket != nil:
						counts[0]++
					case r.Feedback != nil:
						counts[1]++
					default:
						counts[2]++
					}
				}
			})
			if err != nil {
				return fmt.Errorf("simulate into %s: %w", a.dbPath, err)
			}
			fmt.Fprintf(a.io.err, "simulated %d tickets, %d feedback, %d events over %d days ending %s into %s in %s\n",
				counts[0], counts[1], counts[2], days, end.Format(time.RFC3339), a.dbPath, time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&days, "days", 90, fmt.Sprintf("days of history (1–%d)", maxSimDays))
	fl.IntVar(&tickets, "tickets", 0, "exactly this many tickets over --days (default: about 400 a day)")
	fl.StringVar(&endFlag, "end", "", "when the history ends (a date like 2026-11-01 or RFC 3339; default now)")
	fl.Uint64Var(&seed, "seed", 1, "random seed: the same seed gives the same records")
	return cmd
}

// simulateInto writes a simulated history into s as 'cxtop simulate' does
// (the bench's simulate row calls it too), calling each with every batch
// before it is written. The next batch is generated and prepared while
// the store writes this one (sim.GenerateAhead, a BatchWriter). Into a
// store that holds no record it is a bulk load (store.BeginBulkLoad): the
// records first, then the indexes, rollups and activity spans built from
// them in key order, which is the end state writing them normally gives.
// A store with records is written the normal way: the same seed and end
// rewrite its records. If the history stops early (an error), what was
// written is still built; if the process dies, the next writable open
// builds it. It reports whether it was a bulk load.
func simulateInto(s *store.Store, opts sim.Options, each func(batch []model.Record)) (bulk bool, err error) {
	if bulk, err = s.BeginBulkLoad(); err != nil {
		return false, err
	}
	bw := s.NewBatchWriter()
	err = sim.GenerateAhead(opts, simulateAhead, func(batch []model.Record) error {
		each(batch)
		return bw.Write(batch)
	})
	if _, werr := bw.Close(); err == nil {
		err = werr
	}
	if bulk {
		if ferr := s.FinishBulkLoad(); err == nil {
			err = ferr
		}
	}
	return bulk, err
}

// recordTime is when a record happened: a ticket's creation, an answer's
// or an event's time.
func recordTime(r model.Record) time.Time {
	switch {
	case r.Ticket != nil:
		return r.Ticket.CreatedAt
	case r.Feedback != nil:
		return r.Feedback.At
	case r.Event != nil:
		return r.Event.At
	}
	return time.Time{}
}
