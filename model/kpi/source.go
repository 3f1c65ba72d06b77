package kpi

// Source is what KPIs are read from: the store's hourly rollups
// (*store.Rollups satisfies it). Hours are half-open ranges [from, to).
type Source interface {
	Sum(metric string, from, to uint32) int64
	BySuffix(metric string, from, to uint32) map[string]int64
}

// distinctCounter is what a Source may also offer: the number of distinct
// suffixes of a per-suffix family, faster than len(BySuffix(...)).
type distinctCounter interface {
	DistinctSuffixes(metric string, from, to uint32) int
}

// distinct is the number of distinct suffixes of metric in [from, to).
func distinct(src Source, metric string, from, to uint32) int {
	if d, ok := src.(distinctCounter); ok {
		return d.DistinctSuffixes(metric, from, to)
	}
	return len(src.BySuffix(metric, from, to))
}
