package store

import (
	"os"
	"runtime/debug"
)

// bulkGCPercent is the GC percent of a command that writes in bulk.
//
// Why (issue 14, docs/PERFORMANCE.md "The write path at 200k"): a bulk
// write allocates per record (decoded records, encodings, index entries,
// the batch's rollup deltas) while its live heap stays small (a batch or
// two), so at the default 100 the collector runs every few batches and
// took 15-20 % of the CPU of an ingest. At 400 it runs a quarter as often:
// 18-28 % less CPU for the ingest of 100k tickets, for a peak RSS of
// ~225 MB instead of ~140 MB (the live heap is bounded by the batches in
// flight, so the cost is bounded too).
const bulkGCPercent = 400

// BulkGC raises the process's GC percent for a bulk write (simulate,
// import, a one-pass sync, the bench rows that measure them) and returns
// the function that restores it. A GOGC set by the user is left alone.
// The setting is process-wide: not for a process that also serves a
// console.
func BulkGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(bulkGCPercent)
	return func() { debug.SetGCPercent(old) }
}
