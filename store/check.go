package store

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
)

// CheckReport lists what a consistency check found.
type CheckReport struct {
	Tickets, Feedback, Events int
	IndexEntries              int
	RollupKeys                int
	Problems                  []string
	// Omitted counts problems beyond those listed.
	Omitted int
}

// OK reports whether the store is consistent.
func (r *CheckReport) OK() bool { return len(r.Problems) == 0 }

const maxListedProblems = 20

func (r *CheckReport) problem(format string, args ...any) {
	if len(r.Problems) >= maxListedProblems {
		r.Omitted++
		return
	}
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

// Check verifies the file (bbolt's own page check), then that every index
// entry, rollup counter, log entry and counter in meta equals what the
// records give. It reads everything once and holds the expected rollups in
// memory: a tool for operators and tests, not for the console.
func (s *Store) Check() (*CheckReport, error) { return s.CheckContext(context.Background()) }

// cancelEvery is how many records a long read (check, export) walks
// between two looks at its context.
const cancelEvery = 4096

// CheckContext is Check that stops with ctx's error once ctx ends (a
// control-socket client that went away): it holds a read transaction,
// which must not outlive the one who asked.
func (s *Store) CheckContext(ctx context.Context) (rep *CheckReport, err error) {
	rep = &CheckReport{}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %s: %v", ErrCorrupt, s.path, r)
		}
	}()
	err = s.db.View(func(tx *bolt.Tx) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		for e := range tx.Check() {
			rep.problem("file: %v", e)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !rep.OK() {
			return nil // records cannot be trusted on a damaged file
		}
		expected := rollupDeltas{}
		kb := keyBuilder{sink: expected.add}
		indexCounts := map[string]int{}
		var open uint64
		seqs := map[uint64]bool{}
		for _, name := range [][]byte{bucketTickets, bucketFeedback, bucketEvents} {
			kind := map[string]byte{"tickets": kindTicket, "feedback": kindFeedback, "events": kindEvent}[string(name)]
			log := tx.Bucket(bucketLog)
			walked := 0
			err := tx.Bucket(name).ForEach(func(k, v []byte) error {
				if walked++; walked%cancelEvery == 0 && ctx.Err() != nil {
					return ctx.Err()
				}
				r, err := decodeStored(v)
				if err != nil {
					rep.problem("%s %q: unreadable value: %v", name, k, err)
					return nil
				}
				switch kind {
				case kindTicket:
					rep.Tickets++
					if r.Ticket.Open() {
						open++
					}
				case kindFeedback:
					rep.Feedback++
				default:
					rep.Events++
				}
				if r.ID() != string(k) {
					rep.problem("%s %q: value holds id %q", name, k, r.ID())
				}
				if err := model.CheckRecord(r); err != nil {
					rep.problem("%s: %v", name, err)
				}
				if !canonicalValue(v, r) {
					rep.problem("%s %q: stored value is not canonical", name, k)
				}
				seq := readU64(v[:8])
				seqs[seq] = true
				if got := log.Get(v[:8]); !bytes.Equal(got, append([]byte{kind}, k...)) {
					rep.problem("log: sequence %d should name %s %q, has %q", seq, name, k, got)
				}
				for _, e := range recordIndexEntries(r) {
					indexCounts[string(e.bucket)]++
					got := tx.Bucket(e.bucket).Get(e.key)
					switch {
					case got == nil:
						rep.problem("index %s: missing entry for %s %q", e.bucket, r.Kind(), k)
					case !bytes.Equal(got, e.value):
						rep.problem("index %s: stale entry for %s %q", e.bucket, r.Kind(), k)
					}
				}
				contributions(r, 1, &kb)
				return nil
			})
			if err != nil {
				return err
			}
		}
		for _, name := range indexBuckets {
			n := tx.Bucket(name).Stats().KeyN
			rep.IndexEntries += n
			if want := indexCounts[string(name)]; n != want {
				rep.problem("index %s: %d entries, records give %d (stray entries)", name, n, want)
			}
		}
		tombstones := checkTombstones(tx, rep)
		if n := tx.Bucket(bucketLog).Stats().KeyN; n != len(seqs)+tombstones {
			rep.problem("log: %d entries, records give %d and tombstones %d", n, len(seqs), tombstones)
		}
		if got := readU64(tx.Bucket(bucketMeta).Get(metaOpenCount)); got != open {
			rep.problem("meta: open ticket count is %d, records give %d", got, open)
		}
		checkAlertIndex(tx, rep)
		if s.schema >= 3 {
			checkOutboxIndex(tx, rep)
		}
		checkActHours(tx, expected, rep)
		checkRollups(tx, expected, rep)
		return nil
	})
	return rep, err
}

func checkRollups(tx *bolt.Tx, expected rollupDeltas, rep *CheckReport) {
	var wrong []string
	tx.Bucket(bucketRollups).ForEach(func(k, v []byte) error {
		want := expected[string(k)]
		delete(expected, string(k))
		stored := map[string]int64{}
		if err := eachEntry(v, func(sub []byte, n int64) { stored[string(sub)] = n; rep.RollupKeys++ }); err != nil {
			wrong = append(wrong, fmt.Sprintf("rollup %s: %v", describeRollupKey(k), err))
			return nil
		}
		var canon []packedEntry
		for sub, n := range stored {
			canon = append(canon, packedEntry{sub, n})
		}
		if !bytes.Equal(encodePacked(canon), v) {
			wrong = append(wrong, fmt.Sprintf("rollup %s: value is not canonical", describeRollupKey(k)))
		}
		for sub, n := range stored {
			var w int64
			if p := want[sub]; p != nil {
				w = *p
			}
			if n != w {
				wrong = append(wrong, fmt.Sprintf("rollup %s: stored %d, records give %d", describeCounter(k, sub), n, w))
			}
		}
		for sub, p := range want {
			if _, ok := stored[sub]; !ok && *p != 0 {
				wrong = append(wrong, fmt.Sprintf("rollup %s: missing, records give %d", describeCounter(k, sub), *p))
			}
		}
		return nil
	})
	for k, want := range expected {
		for sub, p := range want {
			if *p != 0 {
				wrong = append(wrong, fmt.Sprintf("rollup %s: missing, records give %d", describeCounter([]byte(k), sub), *p))
			}
		}
	}
	sort.Strings(wrong)
	for _, w := range wrong {
		rep.problem("%s", w)
	}
}

// describeRollupKey names a packed key for people: "tk.created @ 2026-10-01T08Z".
func describeRollupKey(k []byte) string {
	family, hour, ok := splitPackedKey(k)
	if !ok {
		return fmt.Sprintf("%q", k)
	}
	return fmt.Sprintf("%s @ %s", family, model.HourTime(hour).Format("2006-01-02T15Z"))
}

// describeCounter names one counter: "tk.created|type=complaint @ ...", or
// the family and customer for per-customer families.
func describeCounter(k []byte, sub string) string {
	family, hour, ok := splitPackedKey(k)
	if !ok {
		return fmt.Sprintf("%q %q", k, sub)
	}
	name := family
	switch {
	case suffixFamilies[family]:
		name += " " + sub
	case sub != "":
		name += "|" + sub
	}
	return fmt.Sprintf("%s @ %s", name, model.HourTime(hour).Format("2006-01-02T15Z"))
}

// String renders the report for the terminal.
func (r *CheckReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d tickets, %d feedback, %d events, %d index entries, %d rollup counters\n",
		r.Tickets, r.Feedback, r.Events, r.IndexEntries, r.RollupKeys)
	if r.OK() {
		b.WriteString("ok: indexes and rollups agree with the records\n")
		return b.String()
	}
	fmt.Fprintf(&b, "FAILED: %d problems\n", len(r.Problems)+r.Omitted)
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "  %s\n", p)
	}
	if r.Omitted > 0 {
		fmt.Fprintf(&b, "  ... and %d more\n", r.Omitted)
	}
	return b.String()
}

// checkActHours derives the activity spans (rollup_span.go) from the
// expected activity counters, adds them to expected, and verifies the
// index of active hours that maintains them.
func checkActHours(tx *bolt.Tx, expected rollupDeltas, rep *CheckReport) {
	ib := tx.Bucket(bucketActHours)
	if ib == nil {
		rep.problem("bucket %s is missing: open the store once for writing to rebuild it", bucketActHours)
		return
	}
	want := 0
	for _, family := range spanFamilies {
		hours := activeHours(family, expected)
		deriveSpans(family, hours, expected)
		for c, hs := range hours {
			for _, h := range hs {
				want++
				if ib.Get(actHoursKey(family, c, h)) == nil {
					rep.problem("%s: missing %s of %q at %s", bucketActHours, family, c, model.HourTime(h).Format("2006-01-02T15Z"))
				}
			}
		}
	}
	rep.IndexEntries += ib.Stats().KeyN
	if n := ib.Stats().KeyN; n != want {
		rep.problem("%s: %d entries, records give %d (stray entries)", bucketActHours, n, want)
	}
}
