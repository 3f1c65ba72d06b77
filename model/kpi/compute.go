package kpi

import (
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
	Delta    *float64 // Value − Baseline
	Status   string
}

// Report is every KPI over one window.
type Report struct {
	Window Window
	KPIs   []Value
}

// Compute reads every KPI of defs over w, with its baseline (the previous
// window) and status. targets overrides Def.Target by id.
func Compute(src Source, w Window, defs []Def, targets map[string]float64) Report {
	rep := Report{Window: w}
	src = WithPrefixSums(src)
	from, to := w.Hours()
	pfrom, pto := w.Previous().Hours()
	for _, d := range defs {
		if t, ok := targets[d.ID]; ok {
			d.Target = t
		}
		v := Value{Def: d}
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
		rep.KPIs = append(rep.KPIs, v)
	}
	return rep
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
