package kpi

import (
	"slices"
	"strconv"

	"github.com/cxtop/cxtop/model"
)

// GroupLoop is the closed-loop KPIs: what happens after a detractor speaks.
const GroupLoop = "closed loop"

// loopDefs are the closed-loop KPIs, read from the follow-up tickets the
// automation opens for detractors (model/metrics_loop.go), each counted at
// the detractor's answer.
func loopDefs() []Def {
	return []Def{
		{ID: "detractors_contacted_24h", Label: "Contacted in 24h", Group: GroupLoop, Unit: "%", Target: 0.90, Margin: 0.05, Window: week,
			measure: ratio(model.MLoopContacted24, model.MLoopOpened)},
		{ID: "loops_closed_10d", Label: "Loops closed in 10d", Group: GroupLoop, Unit: "%", Target: 0.80, Margin: 0.05, Window: month,
			measure: ratio(model.MLoopClosed10d, model.MLoopOpened)},
		{ID: "survey_response_rate", Label: "Survey response", Group: GroupLoop, Unit: "%", Target: 0.30, Margin: 0.05, Window: week,
			measure: surveyResponseRate},
		{ID: "loop_close_median_h", Label: "Loop close median", Group: GroupLoop, Unit: "h", Dir: LowerIsBetter, Target: 72, Margin: 24, Window: month,
			measure: loopCloseMedian},
	}
}

// surveyResponseRate: post-resolution CSAT answers given in the window over
// the tickets resolved in it (each done ticket is sent one survey).
func surveyResponseRate(src Source, from, to uint32) (float64, int64, bool) {
	resolved := src.Sum(model.MTicketResolved, from, to)
	if resolved == 0 {
		return 0, 0, false
	}
	var answers int64
	for s := 1; s <= 5; s++ {
		answers += src.Sum(model.Dim(scoreCount(model.SurveyCSAT, s), "kind", model.KindPostResolution), from, to)
	}
	return float64(answers) / float64(resolved), resolved, true
}

// loopCloseMedian: the median hours from a detractor's answer to the done
// follow-up, over the loops closed in the window (whole hours: the
// histogram's resolution).
func loopCloseMedian(src Source, from, to uint32) (float64, int64, bool) {
	hist := src.BySuffix(model.MLoopCloseHours, from, to)
	return medianOfHistogram(hist)
}

// medianOfHistogram is the median of values given as decimal-string keys
// with their counts: the lower middle value for an even count.
func medianOfHistogram(hist map[string]int64) (float64, int64, bool) {
	type bin struct{ v, n int64 }
	var bins []bin
	var total int64
	for k, n := range hist {
		v, err := strconv.ParseInt(k, 10, 64)
		if err != nil || n <= 0 {
			continue
		}
		bins = append(bins, bin{v, n})
		total += n
	}
	if total == 0 {
		return 0, 0, false
	}
	slices.SortFunc(bins, func(a, b bin) int { return int(a.v - b.v) })
	mid, seen := (total+1)/2, int64(0)
	for _, b := range bins {
		if seen += b.n; seen >= mid {
			return float64(b.v), total, true
		}
	}
	return float64(bins[len(bins)-1].v), total, true
}
