package kpi

// Source is what KPIs are read from: the store's hourly rollups
// (*store.Rollups satisfies it). Hours are half-open ranges [from, to).
type Source interface {
	Sum(metric string, from, to uint32) int64
	BySuffix(metric string, from, to uint32) map[string]int64
}
