package main

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store"
)

// The SQL of the kpi row's reference, in one place: embedded here, and run
// by hand with docs/bench/kpis-sqlite.sh.
var (
	//go:embed benchsql/kpis-sqlite-load.sql
	sqliteLoadSQL string
	//go:embed benchsql/kpis-sqlite-query.sql
	sqliteQuerySQL string
)

// kpiRuns is how many times each side computes the KPIs; the median counts.
const kpiRuns = 5

// kpi computes every KPI over 30 days (each with its baseline, the 30
// days before) from the rollups, against sqlite3 computing the same
// numbers from the same records with kpis-sqlite-query.sql.
func (b *bench) kpi() error {
	st, err := store.Open(b.mainPath, store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	w, err := kpi.NewWindow(benchEnd, 30*24*time.Hour)
	if err != nil {
		return err
	}
	// ROI needs a programme cost: the one the SQL uses.
	share := 0.3
	settings, err := kpi.FromConfig(kpi.Config{ProgrammeCost: 5_000_000_000, BenefitShare: &share}, kpi.ProgrammeConfig{})
	if err != nil {
		st.Close()
		return err
	}
	var runs []time.Duration
	for i := 0; i < kpiRuns*4; i++ {
		start := time.Now()
		err := st.ViewRollups(func(r *store.Rollups) error {
			if rep := kpi.Compute(r, w, settings.Defs, nil); len(rep.KPIs) != len(settings.Defs) {
				return errors.New("missing KPIs")
			}
			return nil
		})
		if err != nil {
			st.Close()
			return err
		}
		runs = append(runs, time.Since(start))
	}
	st.Close()
	slices.Sort(runs)
	cx := ms(runs[len(runs)/2])
	target := atMost(5, "≤ 5 ms")
	if _, err := exec.LookPath("sqlite3"); err != nil {
		r := newRow("kpi", cx, "ms", "", 0, target)
		r.Note = "sqlite3 reference not measured: the sqlite3 program is not installed (apt-get install sqlite3)"
		b.add(r)
		return nil
	}
	exp, err := b.exportMain()
	if err != nil {
		return err
	}
	ref, plan, err := sqliteKPIs(exp, b.path("kpis.sqlite"))
	os.Remove(b.path("kpis.sqlite"))
	if err != nil {
		return err
	}
	r := newRow("kpi", cx, "ms", "sqlite3, same records, covering indexes (cmd/cxtop/benchsql)", ms(ref), target)
	if plan != "" {
		r.Note = "sqlite3 plan scans a whole table: " + plan
	}
	b.add(r)
	return nil
}

// sqliteKPIs loads the export into a new sqlite3 database (not timed),
// checks each query's plan, and returns the median over kpiRuns of the
// queries' total time (sqlite3's own `.timer` real times, so the
// program's start is not counted). plan names any full table scan.
func sqliteKPIs(exportPath, db string) (time.Duration, string, error) {
	if strings.ContainsAny(exportPath, "|\n\"") {
		return 0, "", fmt.Errorf("export path %q: unusual characters", exportPath)
	}
	load := strings.ReplaceAll(sqliteLoadSQL, "EXPORT_JSONL", exportPath)
	if out, err := sqlite(db, load); err != nil {
		return 0, "", fmt.Errorf("sqlite3 load: %v: %s", err, firstLine(out))
	}
	out, err := sqlite(db, explainAll(sqliteQuerySQL))
	if err != nil {
		return 0, "", fmt.Errorf("sqlite3 explain: %v: %s", err, firstLine(out))
	}
	plan := fullScans(out)
	var runs []time.Duration
	for i := 0; i < kpiRuns; i++ {
		out, err := sqlite(db, sqliteQuerySQL)
		if err != nil {
			return 0, "", fmt.Errorf("sqlite3 query: %v: %s", err, firstLine(out))
		}
		d, n := timerTotal(out)
		if n == 0 {
			return 0, "", fmt.Errorf("sqlite3 query: no timings in its output: %s", firstLine(out))
		}
		runs = append(runs, d)
	}
	slices.Sort(runs)
	return runs[len(runs)/2], plan, nil
}

func sqlite(db, script string) (string, error) {
	cmd := exec.Command("sqlite3", "-bail", db)
	cmd.Stdin = strings.NewReader(script)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// explainAll turns each query of a script into EXPLAIN QUERY PLAN of it,
// dropping the dot-commands and pragmas.
func explainAll(script string) string {
	var b strings.Builder
	for _, stmt := range strings.Split(script, ";\n") {
		var lines []string
		for _, l := range strings.Split(stmt, "\n") {
			t := strings.TrimSpace(l)
			if t == "" || strings.HasPrefix(t, "--") || strings.HasPrefix(t, ".") || strings.HasPrefix(t, "PRAGMA") {
				continue
			}
			lines = append(lines, l)
		}
		if len(lines) > 0 {
			b.WriteString("EXPLAIN QUERY PLAN " + strings.Join(lines, "\n") + ";\n")
		}
	}
	return b.String()
}

// fullScan is a plan step that reads a whole table of records.
var fullScan = regexp.MustCompile(`SCAN (tickets|feedback|events)\b`)

func fullScans(plan string) string {
	var found []string
	for _, l := range strings.Split(plan, "\n") {
		if m := fullScan.FindString(l); m != "" {
			found = append(found, strings.TrimSpace(strings.TrimLeft(l, "|`- ")))
		}
	}
	return strings.Join(found, "; ")
}

// timerTotal adds up the "Run Time: real S" lines of `.timer on`.
func timerTotal(out string) (time.Duration, int) {
	var total float64
	n := 0
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) >= 4 && f[0] == "Run" && f[1] == "Time:" && f[2] == "real" {
			if s, err := strconv.ParseFloat(f[3], 64); err == nil {
				total += s
				n++
			}
		}
	}
	return time.Duration(total * float64(time.Second)), n
}
