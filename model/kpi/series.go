package kpi

import "time"

// Series reads each KPI of defs over n consecutive slices of w (oldest
// first), for trend lines: s = w.Length / n whole hours, and the slices
// end at w.At, so the newest hours are always in the last one — when n
// does not divide the window, what is left out is its oldest hours. A
// slice without data is nil.
func Series(src Source, w Window, n int, defs []Def) map[string][]*float64 {
	out := map[string][]*float64{}
	from, to := w.Hours()
	if n <= 0 || to <= from {
		return out
	}
	step := max((to-from)/uint32(n), 1)
	count := min(uint32(n), (to-from)/step)
	start := to - count*step
	src = forSeries(WithPrefixSums(src), start, to, step)
	for _, d := range defs {
		points := make([]*float64, 0, count)
		for h := start; h+step <= to; h += step {
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
