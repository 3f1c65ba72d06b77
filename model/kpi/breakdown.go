package kpi

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cxtop/cxtop/model"
)

// BreakdownDims maps each --by dimension to the feedback rollup dimension
// it reads: a CSAT or NPS answer's channel is its source.
var BreakdownDims = map[string]string{"segment": "segment", "touchpoint": "touchpoint", "source": "channel"}

// BreakdownRow is CSAT and NPS over the answers with one value of a
// dimension.
type BreakdownRow struct {
	Value       string
	CSAT, NPS   *float64 // nil without answers
	CSATN, NPSN int64
}

// Breakdown computes CSAT and NPS per value of the dimension by over w, for
// the values given (BreakdownValues lists them); values without an answer
// in w are left out.
func Breakdown(src Source, w Window, by string, values []string) ([]BreakdownRow, error) {
	dim, ok := BreakdownDims[by]
	if !ok {
		return nil, fmt.Errorf("no breakdown by %q: use segment, touchpoint or source", by)
	}
	from, to := w.Hours()
	var rows []BreakdownRow
	for _, v := range values {
		row := BreakdownRow{Value: v}
		if x, n, ok := csatWhere(src, dim, v, from, to); ok {
			row.CSAT, row.CSATN = &x, n
		}
		if x, n, ok := npsWhere(src, dim, v, from, to); ok {
			row.NPS, row.NPSN = &x, n
		}
		if row.CSATN+row.NPSN > 0 {
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// BreakdownValues picks, in order, the values of the dimension by from
// metric names such as "fb.csat.s4|segment=vip" (what Rollups.Metrics
// lists for "fb.").
func BreakdownValues(metrics []string, by string) []string {
	prefix := "|" + BreakdownDims[by] + "="
	var out []string
	for _, m := range metrics {
		if !strings.HasPrefix(m, "fb."+model.SurveyCSAT+".s") && !strings.HasPrefix(m, "fb."+model.SurveyNPS+".s") {
			continue
		}
		if _, v, ok := strings.Cut(m, prefix); ok && v != "" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
