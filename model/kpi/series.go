package kpi

import "time"

// Series reads each KPI of defs over n consecutive slices of w (oldest
// first), for trend lines: slice i covers [w.At − w.Length + i·s, … + s)
// with s = w.Length / n whole hours. A slice without data is nil.
func Series(src Source, w Window, n int, defs []Def) map[string][]*float64 {
	out := map[string][]*float64{}
	from, to := w.Hours()
	if n <= 0 || to <= from {
		return out
	}
	step := max((to-from)/uint32(n), 1)
	for _, d := range defs {
		points := make([]*float64, 0, n)
		for h := from; h+step <= to && len(points) < n; h += step {
			if x, _, ok := d.measure(src, h, h+step); ok {
				points = append(points, &x)
			} else {
				points = append(points, nil)
			}
		}
		out[d.ID] = points
	}
	return out
}

// SeriesStep is the length of one slice of Series.
func SeriesStep(w Window, n int) time.Duration {
	if n <= 0 {
		return w.Length
	}
	return max(w.Length/time.Duration(n)/time.Hour, 1) * time.Hour
}
