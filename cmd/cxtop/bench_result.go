package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"text/tabwriter"
)

// benchRow is one figure of `cxtop bench` with the reference it was
// measured beside, in the same run.
type benchRow struct {
	Name           string   `json:"name"`
	Value          *float64 `json:"value"` // nil: not measured (Note says why)
	Unit           string   `json:"unit"`
	Reference      string   `json:"reference"`
	ReferenceValue *float64 `json:"reference_value"`
	Ratio          *float64 `json:"ratio"` // value / reference value
	Target         string   `json:"target"`
	OK             bool     `json:"ok"`
	Note           string   `json:"note,omitempty"`

	// checks are the targets, on the value or the ratio; far reports a
	// miss by more than farFactor (noise does not explain it).
	checks []benchCheck
	far    bool
}

// benchCheck is one target: value (or ratio) at least or at most limit.
type benchCheck struct {
	ratio   bool // on the ratio rather than the value
	atLeast bool
	limit   float64
	label   string // how the target reads, e.g. "≥ 100000 tickets/s"
}

// farFactor is how far a figure may miss its target before CI fails: a
// shared 2-core machine varies by 2× from one run to the next.
const farFactor = 3

func atLeast(limit float64, label string) benchCheck {
	return benchCheck{atLeast: true, limit: limit, label: label}
}
func atMost(limit float64, label string) benchCheck {
	return benchCheck{limit: limit, label: label}
}
func ratioAtLeast(limit float64) benchCheck {
	return benchCheck{ratio: true, atLeast: true, limit: limit, label: fmt.Sprintf("ratio ≥ %g", limit)}
}
func ratioAtMost(limit float64) benchCheck {
	return benchCheck{ratio: true, limit: limit, label: fmt.Sprintf("ratio ≤ %g", limit)}
}

// newRow makes a measured row; ref is 0 when the row has no reference.
func newRow(name string, value float64, unit, reference string, ref float64, checks ...benchCheck) benchRow {
	r := benchRow{Name: name, Value: &value, Unit: unit, Reference: reference, checks: checks}
	if reference != "" && ref > 0 {
		r.ReferenceValue = &ref
		ratio := value / ref
		r.Ratio = &ratio
	}
	r.judge()
	return r
}

// missingRow is a row that could not be measured here, saying why.
func missingRow(name, unit, note string) benchRow {
	return benchRow{Name: name, Unit: unit, OK: true, Note: note, Target: "—"}
}

// judge sets Target, OK and far from the checks.
func (r *benchRow) judge() { r.judgeOn(false) }

// judgeOn judges; on a loaded machine (ratiosOnly) only the ratios,
// measured beside their references in the same run, can be far off: an
// absolute figure there measures the other jobs as much as cxtop. (The
// command itself fails nothing on a machine loaded past overloadFactor.)
func (r *benchRow) judgeOn(ratiosOnly bool) {
	r.OK, r.far = true, false
	var labels []string
	for _, c := range r.checks {
		labels = append(labels, c.label)
		var got *float64
		if c.ratio {
			got = r.Ratio
		} else {
			got = r.Value
		}
		if got == nil {
			continue
		}
		v := *got
		counts := c.ratio || !ratiosOnly
		if c.atLeast {
			if v < c.limit {
				r.OK = false
				r.far = r.far || counts && v*farFactor < c.limit
			}
			continue
		}
		if v > c.limit {
			r.OK = false
			// A target of 0 (bytes of an idle console) has no noise.
			r.far = r.far || counts && (c.limit == 0 || v > c.limit*farFactor)
		}
	}
	r.Target = strings.Join(labels, ", ")
	if r.Target == "" {
		r.Target = "—"
	}
}

// benchMachine describes where the figures were measured.
type benchMachine struct {
	OS       string  `json:"os"`
	Arch     string  `json:"arch"`
	CPUs     int     `json:"cpus"`
	CPU      string  `json:"cpu"`
	MemGiB   float64 `json:"mem_gib"`
	Go       string  `json:"go"`
	Load     string  `json:"load_before"`
	LoadEnd  string  `json:"load_after"`
	Records  int     `json:"records"`
	Seconds  float64 `json:"seconds"`
	Revision string  `json:"revision,omitempty"`
	// Loaded: the load average before the run was at least loadedFactor
	// a CPU, so only ratio targets could fail the run.
	Loaded     bool `json:"loaded"`
	Overloaded bool `json:"overloaded"`
}

// loadedFactor is the 1-minute load per CPU above which a machine counts
// as loaded; past overloadFactor (the shared development machines run
// 10–30 jobs on 2 CPUs) even ratios swing by more than 3× between runs
// (cxtop's CPU-heavy side starves more than its I/O-bound reference), so
// nothing fails the run there: every figure is printed with the load.
const (
	loadedFactor   = 1.5
	overloadFactor = 4.0
)

func thisMachine(records int) benchMachine {
	m := benchMachine{OS: runtime.GOOS, Arch: runtime.GOARCH, CPUs: runtime.NumCPU(), Go: runtime.Version(), Records: records, Load: loadAverage()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb float64
		if _, err := fmt.Sscanf(string(b), "MemTotal: %f kB", &kb); err == nil {
			m.MemGiB = math.Round(kb/(1<<20)*10) / 10
		}
	}
	m.Revision = revision()
	if f := strings.Fields(m.Load); len(f) > 0 {
		if l, err := strconv.ParseFloat(f[0], 64); err == nil {
			m.Loaded = l >= loadedFactor*float64(m.CPUs)
			m.Overloaded = l >= overloadFactor*float64(m.CPUs)
		}
	}
	return m
}

// loadAverage is the 1, 5 and 15 minute load of a Linux machine: how
// busy the other jobs on a shared machine kept it.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func writeBenchJSON(out io.Writer, m benchMachine, rows []benchRow) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Machine benchMachine `json:"machine"`
		Results []benchRow   `json:"results"`
	}{m, rows})
}

// writeBenchTable prints the machine and a Markdown table, as
// docs/PERFORMANCE.md holds it.
func writeBenchTable(out io.Writer, m benchMachine, rows []benchRow) error {
	fmt.Fprintf(out, "machine: %s/%s, %d CPUs (%s), %.1f GiB, %s; load %s → %s; %d tickets; %.0f s",
		m.OS, m.Arch, m.CPUs, m.CPU, m.MemGiB, m.Go, m.Load, m.LoadEnd, m.Records, m.Seconds)
	if m.Revision != "" {
		fmt.Fprintf(out, "; %s", m.Revision)
	}
	fmt.Fprintln(out)
	switch {
	case m.Overloaded:
		fmt.Fprintf(out, "the machine was overloaded (load ≥ %g a CPU before the run): every figure, ratios too, measures the other jobs as well; none could fail this run\n", overloadFactor)
	case m.Loaded:
		fmt.Fprintf(out, "the machine was loaded (load ≥ %g a CPU before the run): absolute figures measure the other jobs too; only ratio targets could fail this run\n", loadedFactor)
	}
	fmt.Fprintln(out)
	tw := tabwriter.NewWriter(out, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "| name\t value\t unit\t reference\t reference value\t ratio\t target\t ok\t")
	fmt.Fprintln(tw, "|---\t---\t---\t---\t---\t---\t---\t---\t")
	for _, r := range rows {
		ok := "yes"
		switch {
		case r.Value == nil:
			ok = "—"
		case !r.OK && r.far:
			ok = "NO (> 3× off)"
		case !r.OK:
			ok = "no"
		}
		ref := r.Reference
		if r.Note != "" {
			ref = strings.TrimSpace(ref + " (" + r.Note + ")")
		}
		fmt.Fprintf(tw, "| %s\t %s\t %s\t %s\t %s\t %s\t %s\t %s\t\n", r.Name, figure(r.Value), r.Unit, ref, figure(r.ReferenceValue), ratioText(r.Ratio), r.Target, ok)
	}
	return tw.Flush()
}

// figure prints a measured number with the digits that mean something.
func figure(v *float64) string {
	if v == nil {
		return "—"
	}
	x := *v
	switch a := math.Abs(x); {
	case a == 0:
		return "0"
	case a >= 1000:
		return commas(int64(math.Round(x)))
	case a >= 100:
		return fmt.Sprintf("%.0f", x)
	case a >= 10:
		return fmt.Sprintf("%.1f", x)
	case a >= 1:
		return fmt.Sprintf("%.2f", x)
	}
	return fmt.Sprintf("%.3g", x)
}

func ratioText(v *float64) string {
	if v == nil {
		return "—"
	}
	return figure(v) + "×"
}

func commas(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// revision is the commit the binary was built from, when Go recorded it.
func revision() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+changes"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return ""
	}
	return "commit " + rev + dirty
}
