package kpi

import "strconv"

// Format writes a KPI value in its unit for people: shares as percentages,
// hours with an "h", counts whole, scores with two decimals; "-" when
// there is no value. signed adds "+" to positive values (deltas).
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
	case "":
		return sign + strconv.FormatFloat(x, 'f', 0, 64)
	}
	return sign + strconv.FormatFloat(x, 'f', 2, 64)
}
