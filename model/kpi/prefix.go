package kpi

// prefixSums is a Source that remembers, per metric, its last sum from
// hour 0. Cumulative KPIs (the backlog) read a metric from the start of
// history to each point; rollups are additive, so the next such sum is the
// last one plus or minus the hours between, and a series of them reads the
// history once instead of once a point (on a 1M-ticket store the per-point
// reads made a console's first frame take 326 ms).
type prefixSums struct {
	wrapped
	last map[string]prefixSum
}

type prefixSum struct {
	to  uint32
	sum int64
}

// WithPrefixSums wraps src so that sums from hour 0 are kept between calls.
// Compute and Series wrap their source themselves; a caller that runs
// several of them on one view of the rollups wraps it once to share the
// sums. A source already wrapped is returned as it is.
func WithPrefixSums(src Source) Source {
	if _, ok := src.(*prefixSums); ok {
		return src
	}
	return &prefixSums{wrapped: wrapped{src}, last: map[string]prefixSum{}}
}

func (c *prefixSums) Sum(metric string, from, to uint32) int64 {
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

// MetricLister is what a Source may also offer: the metric names under a
// prefix (*store.Rollups does), which list a breakdown's values.
type MetricLister interface {
	Metrics(prefix string) []string
}

// wrapped is a Source inside another (prefixSums, seriesSource): the
// wrapper keeps the optional reads of the source it wraps, which the
// embedded interface alone would hide.
type wrapped struct{ Source }

// DistinctSuffixes keeps the wrapped source's fast distinct count.
func (w wrapped) DistinctSuffixes(metric string, from, to uint32) int {
	return distinct(w.Source, metric, from, to)
}

// Hours keeps the wrapped source's first and last hours of a metric, for
// the KPIs that clip a window to the history (ROI).
func (w wrapped) Hours(metric string) (first, last uint32, ok bool) {
	if hs, isSpanner := w.Source.(hourSpanner); isSpanner {
		return hs.Hours(metric)
	}
	return 0, 0, false
}

// Metrics keeps the wrapped source's metric list (nil when it has none).
func (w wrapped) Metrics(prefix string) []string {
	if l, ok := w.Source.(MetricLister); ok {
		return l.Metrics(prefix)
	}
	return nil
}
