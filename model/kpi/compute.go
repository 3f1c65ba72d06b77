package kpi

import (
	"fmt"
	"math"
	"time"
)

// Statuses of a KPI against its target. Colour never says it alone: the
// console pairs each with a symbol.
const (
	StatusOK     = "ok"
	StatusWarn   = "warn"
	StatusBreach = "breach"
	StatusNone   = "" // no data, or no target
)

// Value is one KPI over one window.
type Value struct {
	Def
	Value    *float64 // nil when there is no data (never NaN)
	N        int64    // observations behind Value
	Baseline *float64 // the same KPI over the previous window
	Delta    *float64 // Value − Baseline, in Def.DeltaUnit()
	Status   string
	// Window is the span this value was read over (the KPI's own default
	// window in a report of ComputeDefault).
	Window Window
	// Note is what a reader must know about the value: why there is none
	// (ROI without a cost), or that it covers less than its window.
	Note string
	// Missing is a short reason shown in place of a missing value ("no
	// cost"), so a value is never a silent "-" when there is a reason.
	Missing string
}

// Text is the value in its unit, or the reason it is missing, or "-".
func (v Value) Text() string {
	if v.Value == nil && v.Missing != "" {
		return v.Missing
	}
	return Format(v.Unit, v.Value, false)
}

// Report is every KPI over one window.
type Report struct {
	Window Window
	KPIs   []Value
}

// Compute reads every KPI of defs over w, with its baseline (the previous
// window) and status. targets overrides Def.Target by id.
func Compute(src Source, w Window, defs []Def, targets map[string]float64) Report {
	return ComputeAgainst(src, w, w.Previous(), defs, targets)
}

// ComputeAgainst is Compute with the baseline read over bw instead of the
// previous window (an alert rule's trailing four weeks).
func ComputeAgainst(src Source, w, bw Window, defs []Def, targets map[string]float64) Report {
	rep := Report{Window: w}
	src = WithPrefixSums(src)
	from, to := w.Hours()
	pfrom, pto := bw.Hours()
	for _, d := range defs {
		if t, ok := targets[d.ID]; ok {
			d.Target = t
		}
		v := Value{Def: d, Window: w}
		if x, n, ok := d.measure(src, from, to); ok && !math.IsNaN(x) && !math.IsInf(x, 0) {
			v.Value, v.N = &x, n
		}
		if pto > pfrom {
			if b, _, ok := d.measure(src, pfrom, pto); ok && !math.IsNaN(b) && !math.IsInf(b, 0) {
				v.Baseline = &b
			}
		}
		if v.Value != nil && v.Baseline != nil {
			delta := *v.Value - *v.Baseline
			v.Delta = &delta
		}
		v.Status = status(d, v.Value)
		if d.note != nil {
			v.Missing, v.Note = d.note(src, from, to)
		}
		rep.KPIs = append(rep.KPIs, v)
	}
	return rep
}

// DefaultWindow is the window of a KPI whose definition names none.
const DefaultWindow = week

// ComputeDefault reads every KPI of defs over its own default window
// (Def.Window) ending at at, so each figure is read over a span that
// suits it wherever it is shown. Report.Window is the longest of them.
func ComputeDefault(src Source, at time.Time, defs []Def) (Report, error) {
	src = WithPrefixSums(src)
	rep := Report{}
	for _, d := range defs {
		length := d.Window
		if length == 0 {
			length = DefaultWindow
		}
		w, err := NewWindow(at, length)
		if err != nil {
			return Report{}, fmt.Errorf("kpi %s: %w", d.ID, err)
		}
		r := Compute(src, w, []Def{d}, nil)
		rep.KPIs = append(rep.KPIs, r.KPIs...)
		if w.Length > rep.Window.Length {
			rep.Window = w
		}
	}
	return rep, nil
}

// status: ok when the value meets the target, warn when it misses by no
// more than the margin, breach beyond.
func status(d Def, v *float64) string {
	if v == nil || d.Dir == NoDirection {
		return StatusNone
	}
	miss := d.Target - *v // how far below the target
	if d.Dir == LowerIsBetter {
		miss = *v - d.Target
	}
	switch {
	case miss <= 0:
		return StatusOK
	case miss <= d.Margin:
		return StatusWarn
	}
	return StatusBreach
}

// Find returns the KPI with id from a report.
func (r Report) Find(id string) (Value, bool) {
	for _, v := range r.KPIs {
		if v.ID == id {
			return v, true
		}
	}
	return Value{}, false
}

// Hours is the window's length in hours.
func (w Window) HoursLong() int { return int(w.Length / time.Hour) }
