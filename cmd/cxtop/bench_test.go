package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestBenchJudge(t *testing.T) {
	for _, tc := range []struct {
		name     string
		row      benchRow
		ok, far  bool
		target   string
		hasRatio bool
	}{
		{"rate met", newRow("ingest", 120_000, "tickets/s", "raw", 200_000, atLeast(100_000, "≥ 100,000/s"), ratioAtLeast(0.4)), true, false, "≥ 100,000/s, ratio ≥ 0.4", true},
		{"ratio missed a little", newRow("ingest", 120_000, "tickets/s", "raw", 400_000, atLeast(100_000, "≥ 100,000/s"), ratioAtLeast(0.4)), false, false, "", true},
		{"rate missed by more than 3×", newRow("ingest", 30_000, "tickets/s", "raw", 60_000, atLeast(100_000, "≥ 100,000/s"), ratioAtLeast(0.4)), false, true, "", true},
		{"time met", newRow("alerts", 19, "ms", "walk", 1, atMost(20, "≤ 20 ms")), true, false, "≤ 20 ms", true},
		{"time missed by 2×", newRow("alerts", 40, "ms", "walk", 1, atMost(20, "≤ 20 ms")), false, false, "", true},
		{"time missed by 4×", newRow("alerts", 80, "ms", "walk", 1, atMost(20, "≤ 20 ms")), false, true, "", true},
		{"a zero target has no noise", newRow("idle", 1, "bytes/s", "frame", 1000, atMost(0, "0")), false, true, "0", true},
		{"zero meets a zero target", newRow("idle", 0, "bytes/s", "frame", 1000, atMost(0, "0")), true, false, "0", true},
		{"size ratio", newRow("size", 2000, "bytes/ticket", "json", 1900, ratioAtMost(1)), false, false, "ratio ≤ 1", true},
		{"no reference, no ratio check", newRow("kpi", 3, "ms", "", 0, atMost(5, "≤ 5 ms")), true, false, "≤ 5 ms", false},
		{"no target", newRow("snapshot", 100, "MB/s", "copy", 400), true, false, "—", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.row
			if r.OK != tc.ok || r.far != tc.far {
				t.Fatalf("ok %v far %v, want %v %v", r.OK, r.far, tc.ok, tc.far)
			}
			if tc.target != "" && r.Target != tc.target {
				t.Fatalf("target %q, want %q", r.Target, tc.target)
			}
			if (r.Ratio != nil) != tc.hasRatio {
				t.Fatalf("ratio %v, want one: %v", r.Ratio, tc.hasRatio)
			}
		})
	}
}

func TestBenchLoadedMachineJudgesRatiosOnly(t *testing.T) {
	slow := newRow("ingest", 20_000, "tickets/s", "raw", 50_000, atLeast(100_000, "≥ 100,000/s"), ratioAtLeast(0.4))
	slow.judgeOn(true)
	if slow.OK || slow.far {
		t.Fatalf("a slow absolute figure on a loaded machine: ok %v far %v; want a miss that does not fail", slow.OK, slow.far)
	}
	bad := newRow("ingest", 20_000, "tickets/s", "raw", 200_000, atLeast(100_000, "≥ 100,000/s"), ratioAtLeast(0.4))
	bad.judgeOn(true)
	if !bad.far {
		t.Fatal("a ratio 4× off its target must fail even on a loaded machine")
	}
}

func TestBenchFigures(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 0.00123: "0.00123", 1.5: "1.50", 12.34: "12.3", 123.4: "123", 1234567: "1,234,567", -2500: "-2,500"} {
		if got := figure(&v); got != want {
			t.Errorf("figure(%v) = %q, want %q", v, got, want)
		}
	}
	if figure(nil) != "—" {
		t.Error("a missing figure should print as —")
	}
}

func TestBenchSQLHelpers(t *testing.T) {
	ex := explainAll("PRAGMA x = 1;\n.timer on\n-- one\nSELECT 1\nFROM t;\n-- two\nWITH a AS (SELECT 2) SELECT * FROM a;\n")
	if want := "EXPLAIN QUERY PLAN SELECT 1\nFROM t;\nEXPLAIN QUERY PLAN WITH a AS (SELECT 2) SELECT * FROM a;\n"; ex != want {
		t.Fatalf("explainAll:\n%q\nwant\n%q", ex, want)
	}
	plan := "QUERY PLAN\n|--SEARCH feedback USING COVERING INDEX feedback_cover (at>? AND at<?)\n`--SCAN tickets\n|--SCAN (subquery-3)\n"
	if got := fullScans(plan); got != "SCAN tickets" {
		t.Fatalf("fullScans = %q", got)
	}
	d, n := timerTotal("base|1\nRun Time: real 0.013 user 0.007 sys 0.000\nnow|2\nRun Time: real 0.250 user 0.1 sys 0\n")
	if n != 2 || d != 263*time.Millisecond {
		t.Fatalf("timerTotal = %s, %d", d, n)
	}
}

func TestBenchFlags(t *testing.T) {
	wantOneLineError(t, runIn(t, "bench", "--records", "5"), 2, "--records 5 is out of range: use 1000 to 10000000")
	wantOneLineError(t, runIn(t, "bench", "--only", "ingest,speed"), 2, `--only "speed": unknown row; rows are ingest, simulate`)
	wantOneLineError(t, runIn(t, "bench", "--serve-for", "10ms"), 2, "--serve-for 10ms is out of range: use 1s to 1h0m0s")
	wantOneLineError(t, runIn(t, "bench", "--serve-sessions", "0"), 2, "--serve-sessions 0 is out of range: use 1 to 990")
}

// TestBenchServeRow runs the serve row small through the real binary (its
// SSH clients are the binary again): every figure is measured beside one
// session's, and every commit reached every session.
func TestBenchServeRow(t *testing.T) {
	r := cxtop(t, nil, "bench", "--records", "1000", "--only", "serve", "--serve-for", "2s", "--serve-sessions", "3", "--json", "--dir", t.TempDir())
	if r.code != 0 && !strings.Contains(r.errOut, "missed the target") {
		t.Fatalf("bench --only serve: exit %d\n%s", r.code, r.errOut)
	}
	var got struct {
		Results []benchRow `json:"results"`
	}
	if err := json.Unmarshal([]byte(r.out), &got); err != nil {
		t.Fatalf("bench --json: %v\n%s\n%s", err, r.out, r.errOut)
	}
	var names []string
	for _, row := range got.Results {
		names = append(names, row.Name)
		if row.Value == nil || *row.Value <= 0 || row.ReferenceValue == nil || *row.ReferenceValue <= 0 {
			t.Errorf("%s: not measured beside one session: %+v", row.Name, row)
		}
		m := regexp.MustCompile(`(\d+) of (\d+) frames seen`).FindStringSubmatch(row.Note)
		if !strings.Contains(row.Note, "3 sessions 120×40") || m == nil || m[1] != m[2] || m[1] == "0" {
			t.Errorf("%s: not every commit reached every session: %q", row.Name, row.Note)
		}
	}
	if strings.Join(names, " ") != "serve.cpu serve.heap serve.p99 serve.p50" {
		t.Fatalf("rows %v", names)
	}
}

// TestBenchRuns runs a small bench of a few rows through the command and
// reads its JSON.
func TestBenchRuns(t *testing.T) {
	r := runIn(t, "bench", "--records", "1000", "--only", "ingest,size,alerts,view", "--json", "--dir", t.TempDir())
	var got struct {
		Machine benchMachine `json:"machine"`
		Results []benchRow   `json:"results"`
	}
	if err := json.Unmarshal([]byte(r.out), &got); err != nil {
		t.Fatalf("bench --json: %v\n%s\n%s", err, r.out, r.errOut)
	}
	var names []string
	for _, row := range got.Results {
		names = append(names, row.Name)
		if row.Value == nil || *row.Value <= 0 && row.Name != "idle" {
			t.Errorf("%s: no value: %+v", row.Name, row)
		}
		if row.ReferenceValue == nil || row.Ratio == nil {
			t.Errorf("%s: no reference: %+v", row.Name, row)
		}
	}
	if strings.Join(names, " ") != "ingest size alerts view.p50 view.p99" {
		t.Fatalf("rows %v", names)
	}
	if got.Machine.CPUs < 1 || got.Machine.Records != 1000 {
		t.Fatalf("machine %+v", got.Machine)
	}
}

// A miss of more than 3× fails the run unless --known-miss names its row,
// the row's family, or that one figure of it.
func TestBenchKnownMiss(t *testing.T) {
	rows := []benchRow{{Name: "ingest", far: true}, {Name: "first_frame.p50", far: true}, {Name: "kpi"}, {Name: "size", far: true}}
	far, known := farRows(rows, []string{"ingest", "first_frame", "kpi"})
	if strings.Join(far, ",") != "size" || strings.Join(known, ",") != "ingest,first_frame.p50" {
		t.Fatalf("far %v, known %v", far, known)
	}
	if far, _ := farRows(rows, nil); len(far) != 3 {
		t.Fatalf("with no known miss every far row fails: %v", far)
	}
	// One figure of a row: the row's other figures still fail.
	rows = append(rows, benchRow{Name: "first_frame.p99", far: true})
	far, known = farRows(rows, []string{"first_frame.p99"})
	if strings.Join(far, ",") != "ingest,first_frame.p50,size" || strings.Join(known, ",") != "first_frame.p99" {
		t.Fatalf("known first_frame.p99: far %v, known %v", far, known)
	}
	wantOneLineError(t, runIn(t, "bench", "--known-miss", "warp"), 2, `--known-miss "warp" is not a row`)
	wantOneLineError(t, runIn(t, "bench", "--known-miss", "warp.p99"), 2, `--known-miss "warp.p99" is not a row`)
}
