package kpi

import "strconv"

// Delta units: how a change of a KPI between two windows is written. A
// share's change is a difference of percentages (percentage points, "pp"),
// never a relative change; "%" is a relative change; hours and stars
// change in their own units.
const (
	DeltaPP    = "pp"  // percentage points: a difference of two shares
	DeltaPct   = "%"   // a relative change: (new − old) / old
	DeltaPts   = "pts" // NPS points
	DeltaHours = "h"
	DeltaStars = "★"
	DeltaCount = "" // a difference of counts
)

// Format writes a KPI value in its unit for people: shares as percentages,
// hours with an "h", counts whole, stars with "★", scores with two
// decimals; "-" when there is no value. signed adds "+" to positive values.
func Format(unit string, v *float64, signed bool) string {
	if v == nil {
		return "-"
	}
	x := *v
	sign := ""
	if signed && x > 0 {
		sign = "+"
	}
	switch unit {
	case "%":
		return sign + strconv.FormatFloat(x*100, 'f', 1, 64) + "%"
	case "pts":
		return sign + strconv.FormatFloat(x, 'f', 1, 64)
	case "h":
		return sign + strconv.FormatFloat(x, 'f', 1, 64) + "h"
	case "stars":
		return sign + strconv.FormatFloat(x, 'f', 2, 64) + "★"
	case "":
		return sign + strconv.FormatFloat(x, 'f', 0, 64)
	}
	return sign + strconv.FormatFloat(x, 'f', 2, 64)
}

// FormatDelta writes a change in a delta unit, always signed and always
// labelled with its unit, so a reader never takes percentage points for a
// relative change: "-5.2 pp", "+12.0%", "+3.0 pts", "-1.5h", "+0.20★".
// x is in the KPI's own units for pp (a share difference, shown ×100), pts,
// h and ★; for "%" it is a relative change (0.12 = +12%).
func FormatDelta(deltaUnit string, v *float64) string {
	if v == nil {
		return "-"
	}
	x := *v
	sign := ""
	if x > 0 {
		sign = "+"
	}
	switch deltaUnit {
	case DeltaPP:
		return sign + strconv.FormatFloat(x*100, 'f', 1, 64) + " pp"
	case DeltaPct:
		return sign + strconv.FormatFloat(x*100, 'f', 1, 64) + "%"
	case DeltaPts:
		return sign + strconv.FormatFloat(x, 'f', 1, 64) + " pts"
	case DeltaHours:
		return sign + strconv.FormatFloat(x, 'f', 1, 64) + "h"
	case DeltaStars:
		return sign + strconv.FormatFloat(x, 'f', 2, 64) + "★"
	case DeltaCount:
		return sign + strconv.FormatFloat(x, 'f', 0, 64)
	}
	return sign + strconv.FormatFloat(x, 'f', 2, 64)
}

// DeltaUnitOf is the delta unit of a KPI unit: shares change in
// percentage points, the rest in their own unit.
func DeltaUnitOf(unit string) string {
	switch unit {
	case "%":
		return DeltaPP
	case "pts":
		return DeltaPts
	case "h":
		return DeltaHours
	case "stars":
		return DeltaStars
	case "":
		return DeltaCount
	}
	return unit
}
