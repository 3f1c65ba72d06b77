package tui

import "github.com/cxtop/cxtop/model/kpi"

// cumulativeSums is a kpi.Source that remembers, per metric, its last sum
// from hour 0. Cumulative KPIs (the backlog) read a metric from the start
// of history to each point; rollups are additive, so the next such sum is
// the last one plus or minus the hours between, and a series of them reads
// the history once instead of once a point (on a 1M-ticket store, one
// read of all history is ~9 ms).
type cumulativeSums struct {
	kpi.Source
	last map[string]prefixSum
}

type prefixSum struct {
	to  uint32
	sum int64
}

func newCumulativeSums(src kpi.Source) *cumulativeSums {
	return &cumulativeSums{Source: src, last: map[string]prefixSum{}}
}

func (c *cumulativeSums) Sum(metric string, from, to uint32) int64 {
	if from != 0 {
		return c.Source.Sum(metric, from, to)
	}
	p, ok := c.last[metric]
	switch {
	case !ok:
		p.sum = c.Source.Sum(metric, 0, to)
	case to >= p.to:
		p.sum += c.Source.Sum(metric, p.to, to)
	default:
		p.sum -= c.Source.Sum(metric, to, p.to)
	}
	p.to = to
	c.last[metric] = p
	return p.sum
}
