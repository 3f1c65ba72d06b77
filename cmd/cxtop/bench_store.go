package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/model/sim"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
	"github.com/cxtop/cxtop/store/hub"
	"github.com/cxtop/cxtop/store/replica"
)

// ingestBatch is the tickets per transaction of the ingest row, as the
// earlier figures of docs/PERFORMANCE.md used.
const ingestBatch = 1000

// syncPage is the page size of the sync row: the simulation's batch, so
// sync and its reference commit the same number of records each time.
const syncPage = simulateBatch

// ingest writes the simulated tickets (only tickets: the figure is in
// tickets per second) through the batch API, beside raw bbolt puts of the
// same bytes in the same transactions.
func (b *bench) ingest() error {
	// Measured as the commands run it (store.BulkGC).
	defer store.BulkGC()()
	m, err := store.NewIngestMeter(b.path("ingest.db"), b.path("ingest-raw.db"))
	if err != nil {
		return err
	}
	var pending []model.Record
	err = sim.Generate(sim.Options{Seed: 1, End: benchEnd, Days: 90, Tickets: b.n, Taxonomy: b.taxonomy(), BatchSize: simulateBatch},
		func(batch []model.Record) error {
			for _, r := range batch {
				if r.Ticket == nil {
					continue
				}
				if pending = append(pending, r); len(pending) == ingestBatch {
					if err := m.Batch(pending); err != nil {
						return err
					}
					pending = pending[:0]
				}
			}
			return nil
		})
	if err == nil && len(pending) > 0 {
		err = m.Batch(pending)
	}
	if _, _, cerr := m.Close(); err == nil {
		err = cerr
	}
	os.Remove(b.path("ingest.db"))
	os.Remove(b.path("ingest-raw.db"))
	if err != nil {
		return err
	}
	b.add(newRow("ingest", float64(m.Records)/m.Store.Seconds(), "tickets/s",
		fmt.Sprintf("raw bbolt puts of the same bytes, %d a transaction", ingestBatch), float64(m.Records)/m.Raw.Seconds(),
		atLeast(100_000, "≥ 100,000/s"), ratioAtLeast(0.4)))
	return nil
}

// simulate builds the main store with `cxtop simulate --tickets N`'s own
// code (simulateInto: an empty store, so a bulk load with transactions
// of 5,000 and its build at the end, fsync on, the generation running
// ahead of a batch writer). Its reference is the generation alone, a pass of its own
// with no store.
func (b *bench) simulate() error {
	// Measured as the commands run it (store.BulkGC).
	defer store.BulkGC()()
	b.mainPath = b.path("main.db")
	st, err := store.Open(b.mainPath, store.Options{Create: true})
	if err != nil {
		return err
	}
	defer st.Close()
	opts := sim.Options{Seed: 1, End: benchEnd, Days: 90, Tickets: b.n, Taxonomy: b.taxonomy(), BatchSize: simulateBatch}
	start := time.Now()
	bulk, err := simulateInto(st, opts, func(batch []model.Record) {
		for _, r := range batch {
			if r.Ticket != nil {
				b.tickets++
			}
		}
		b.records += len(batch)
	})
	if err != nil {
		return err
	}
	if !bulk {
		return fmt.Errorf("simulate: %s held records before the row", b.mainPath)
	}
	total := time.Since(start)
	// The writes bound the run (the generation runs ahead of them): this is
	// the store's ingest of these records, the sync row's reference.
	b.ingestSpeed = float64(b.records) / total.Seconds()
	start = time.Now()
	if err := sim.Generate(opts, func([]model.Record) error { return nil }); err != nil {
		return err
	}
	generation := time.Since(start)
	b.add(newRow("simulate", float64(b.tickets)/total.Seconds(), "tickets/s",
		fmt.Sprintf("the generation alone, no store (%d records in %s; with the store %s)", b.records, generation.Round(time.Millisecond), total.Round(time.Millisecond)),
		float64(b.tickets)/generation.Seconds(),
		atLeast(1e6/60, "≥ 16,667/s (1M in 60 s)")))
	return nil
}

// size compares the store's bytes per ticket (every record, index and
// rollup included) with the raw JSON of the same records (the export).
func (b *bench) size() error {
	exp, err := b.exportMain()
	if err != nil {
		return err
	}
	st, err := store.Open(b.mainPath, store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	used, err := st.UsedBytes()
	st.Close()
	if err != nil {
		return err
	}
	js := fileBytes(exp)
	r := newRow("size", float64(used)/float64(b.tickets), "bytes/ticket",
		"the raw JSON export of the same records", float64(js)/float64(b.tickets), ratioAtMost(1.0))
	r.Note = fmt.Sprintf("pages in use; the file, with bbolt's free and preallocated pages, is %s bytes a ticket",
		figure(ptr(float64(fileBytes(b.mainPath))/float64(b.tickets))))
	b.add(r)
	return nil
}

func ptr(v float64) *float64 { return &v }

func fileBytes(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// sync pulls the main store, served by the real hub handler over loopback,
// into an empty store (pages of syncPage, fsync on, a bulk load as
// `cxtop sync --once` does, its build at the end included), against the store's
// own ingest of the same records in the same batches (the simulation's
// writes).
func (b *bench) sync() error {
	// Measured as the commands run it (store.BulkGC).
	defer store.BulkGC()()
	src, err := b.openMain()
	if err != nil {
		return err
	}
	defer src.Close()
	h, err := hub.New(src, hub.Options{})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	path := b.path("synced.db")
	defer os.Remove(path)
	dst, err := store.Open(path, store.Options{Create: true})
	if err != nil {
		return err
	}
	defer dst.Close()
	remote, err := replica.NewHubRemote("http://"+ln.Addr().String(), "", time.Minute)
	if err != nil {
		return err
	}
	// As `cxtop sync --once` pulls into an empty store: a bulk load.
	c := replica.New(dst, remote, replica.Options{PageSize: syncPage, BulkLoad: true})
	start := time.Now()
	if err := c.SyncOnce(context.Background()); err != nil {
		return err
	}
	took := time.Since(start)
	got := c.Status().Records
	if got != uint64(b.records) {
		return fmt.Errorf("synced %d of %d records", got, b.records)
	}
	b.add(newRow("sync", float64(got)/took.Seconds(), "records/s",
		"the store's own ingest of the same records (simulate's writes)", b.ingestSpeed,
		atLeast(50_000, "≥ 50,000/s"), ratioAtLeast(0.9)))
	return nil
}

// rollup rebuilds every rollup and activity span from the records, as
// the upgrade of an older store does, against one read that decodes every
// record (the floor of a rebuild).
func (b *bench) rollup() error {
	st, err := b.openMain()
	if err != nil {
		return err
	}
	defer st.Close()
	rebuild, decode, err := st.MeasureRebuild()
	if err != nil {
		return err
	}
	limit := b.perMillion(60)
	b.add(newRow("rollup", rebuild.Seconds(), "s", "decode every record once", decode.Seconds(),
		atMost(limit, fmt.Sprintf("≤ %s (60 s per 1M tickets)", seconds(limit)))))
	return nil
}

func seconds(s float64) string {
	return time.Duration(s * float64(time.Second)).Round(time.Millisecond).String()
}

// snapshot copies the store with SnapshotTo while a writer commits small
// batches, against a plain copy of the file; and the writer's longest
// commit during the snapshot against its median commit before it.
func (b *bench) snapshot() error {
	st, err := b.openMain()
	if err != nil {
		return err
	}
	defer st.Close()
	copyPath, snapPath := b.path("copy.db"), b.path("snapshot.db")
	defer os.Remove(copyPath)
	defer os.Remove(snapPath)
	start := time.Now()
	if err := copyFile(b.mainPath, copyPath); err != nil {
		return err
	}
	copyTook := time.Since(start)
	size := float64(fileBytes(b.mainPath)) / 1e6

	seed, err := st.Tickets(store.TicketQuery{Limit: 100})
	if err != nil {
		return err
	}
	if len(seed) == 0 {
		return errors.New("no open ticket to copy")
	}
	w := &benchWriter{st: st, seed: seed}
	before, err := w.commits(20)
	if err != nil {
		return err
	}
	stop := make(chan struct{})
	var during []time.Duration
	var werr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		during, werr = w.until(stop)
	}()
	time.Sleep(50 * time.Millisecond) // the writer is under way
	start = time.Now()
	err = st.SnapshotTo(snapPath)
	snapTook := time.Since(start)
	close(stop)
	wg.Wait()
	if err != nil {
		return err
	}
	if werr != nil {
		return werr
	}
	slices.Sort(before)
	b.add(newRow("snapshot", size/snapTook.Seconds(), "MB/s", "a plain copy of the file", size/copyTook.Seconds()))
	b.add(newRow("snapshot.stall", ms(slices.Max(during)), "ms",
		// The longest commit before says how long a commit stalls on this
		// machine without any snapshot: one maximum is mostly load noise.
		fmt.Sprintf("median commit without a snapshot (%d commits during it; the longest of %d before: %.0f ms)",
			len(during), len(before), ms(before[len(before)-1])), ms(before[len(before)/2])))
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// benchWriter commits batches of copies of open tickets under new ids:
// what a sync or a triage session writes while a snapshot is taken.
type benchWriter struct {
	st   *store.Store
	seed []*model.Ticket
	n    int
}

func (w *benchWriter) commit() (time.Duration, error) {
	recs := make([]model.Record, 0, len(w.seed))
	for _, t := range w.seed {
		c := *t
		w.n++
		c.ID = fmt.Sprintf("BENCH-%d", w.n)
		c.History = nil
		recs = append(recs, model.Record{Ticket: &c})
	}
	start := time.Now()
	_, err := w.st.Write(recs)
	return time.Since(start), err
}

func (w *benchWriter) commits(n int) ([]time.Duration, error) {
	var out []time.Duration
	for i := 0; i < n; i++ {
		d, err := w.commit()
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func (w *benchWriter) until(stop <-chan struct{}) ([]time.Duration, error) {
	var out []time.Duration
	for {
		select {
		case <-stop:
			return out, nil
		default:
		}
		d, err := w.commit()
		if err != nil {
			return out, err
		}
		out = append(out, d)
	}
}

// automations runs the automations' first pass over the store (cursor at
// zero, as on a store that never ran them), against a read of the whole
// change log (every record they could look at).
func (b *bench) automations() error {
	st, err := b.openMain()
	if err != nil {
		return err
	}
	defer st.Close()
	set, err := b.app.alertSettings()
	if err != nil {
		return err
	}
	start := time.Now()
	after := uint64(0)
	for {
		_, last, more, err := st.Changes(after, 1000)
		if err != nil {
			return err
		}
		after = last
		if !more {
			break
		}
	}
	readLog := time.Since(start)
	start = time.Now()
	if _, err := engine.Automate(st, set, false, benchEnd); err != nil {
		return err
	}
	took := time.Since(start)
	limit := b.perMillion(5)
	b.add(newRow("automations", took.Seconds(), "s", "read the whole change log", readLog.Seconds(),
		atMost(limit, fmt.Sprintf("≤ %s (5 s per 1M tickets)", seconds(limit)))))
	return nil
}

// benchAlerts is how many alerts the console rows find stored: the
// number the first-frame target names.
const benchAlerts = 8000

// alerts evaluates every rule (the first evaluation fires what it finds;
// the figure is the median of the five after it, as a console or runner
// evaluates a store every minute), against a walk of the open tickets'
// index. It then tops the stored alerts up to benchAlerts for the
// console rows.
func (b *bench) alerts() error {
	st, err := b.openMain()
	if err != nil {
		return err
	}
	defer st.Close()
	set, err := b.app.alertSettings()
	if err != nil {
		return err
	}
	if _, err := engine.Evaluate(st, set.Rules, benchEnd); err != nil {
		return err
	}
	var evals, scans []time.Duration
	open := 0
	for i := 0; i < 5; i++ {
		start := time.Now()
		if _, err := engine.Evaluate(st, set.Rules, benchEnd); err != nil {
			return err
		}
		evals = append(evals, time.Since(start))
		start = time.Now()
		if open, err = st.ScanOpenTickets(); err != nil {
			return err
		}
		scans = append(scans, time.Since(start))
	}
	slices.Sort(evals)
	slices.Sort(scans)
	b.add(newRow("alerts", ms(evals[2]), "ms", fmt.Sprintf("walk the open tickets' index (%d)", open), ms(scans[2]),
		atMost(20, "≤ 20 ms")))
	return fillAlerts(st, benchAlerts)
}

// fillAlerts adds resolved and firing alerts about old tickets until the
// store holds n.
func fillAlerts(st *store.Store, n int) error {
	have, err := st.Alerts(true)
	if err != nil {
		return err
	}
	for i := len(have); i < n; {
		_, err := st.Update(func(w *store.Writer) error {
			for j := 0; j < 1000 && i < n; j, i = j+1, i+1 {
				at := benchEnd.Add(-time.Duration(i) * time.Minute)
				a := alert.Alert{Key: fmt.Sprintf("bench/%d", i), Rule: "bench", Severity: "warning", State: alert.Firing,
					Message: fmt.Sprintf("bench alert %d", i), FiredAt: at, UpdatedAt: at}
				if i%2 == 0 {
					a.State, a.ResolvedAt = alert.Resolved, at.Add(time.Hour)
				}
				if err := w.PutAlert(a); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
