package kpi

import (
	"time"

	"github.com/cxtop/cxtop/model"
)

// Groups of KPIs, as the console shows them.
const (
	GroupExperience  = "experience"
	GroupOperational = "operational"
	GroupFinancial   = "financial"
)

// Direction says which way a KPI gets better.
type Direction int

const (
	HigherIsBetter Direction = iota
	LowerIsBetter
	NoDirection // a volume, shown without a target
)

// measure is one KPI's value over hours [from, to): the value, the number
// of observations behind it, and ok=false when there are none.
type measure func(src Source, from, to uint32) (value float64, n int64, ok bool)

// Def is one KPI: how to read it and what it is held against.
type Def struct {
	ID     string
	Label  string
	Group  string
	Unit   string // "%" (shown ×100), "pts", "h", "stars", "" (a count)
	Dir    Direction
	Target float64 // used unless Dir is NoDirection
	// Margin is how far on the wrong side of the target still counts as
	// "warn" rather than "breach", in the KPI's own units.
	Margin float64
	// Cumulative KPIs (the backlog) are a state at the window's end, not a
	// flow over it.
	Cumulative bool
	// Window is the span the KPI is read over unless a command or the
	// console is asked for another: long enough for the KPI to mean
	// something (adoption and revenue growth move over a month, not a day).
	// [kpi.windows] in the config overrides it.
	Window  time.Duration
	measure measure
	// note, when set, says what a reader must know about a value over
	// [from, to) (ROI over less history than its window, or without a
	// cost): a short text to show in place of a missing value, and a note.
	note func(src Source, from, to uint32) (short, long string)
}

// DeltaUnit is the unit the KPI's change from its baseline is written in
// (FormatDelta): pp for shares, pts, h, ★, or a count.
func (d Def) DeltaUnit() string { return DeltaUnitOf(d.Unit) }

// Default windows of the KPIs (docs/kpis.md explains each).
const (
	day   = 24 * time.Hour
	week  = 7 * day
	month = 30 * day
	year  = 365 * day
)

// Defs lists the KPIs in display order with the targets of DESIGN.md.
func Defs() []Def {
	return append([]Def{
		{ID: "csat", Label: "CSAT", Group: GroupExperience, Unit: "%", Target: 0.85, Margin: 0.03, Window: week, measure: csat},
		{ID: "csat_post_resolution", Label: "CSAT (resolved)", Group: GroupExperience, Unit: "%", Target: 0.85, Margin: 0.03, Window: week, measure: csatOf(model.KindPostResolution)},
		{ID: "nps", Label: "NPS", Group: GroupExperience, Unit: "pts", Target: 30, Margin: 5, Window: month, measure: nps},
		{ID: "digital_adoption", Label: "Digital adoption", Group: GroupExperience, Unit: "%", Target: 0.70, Margin: 0.05, Window: month, measure: digitalAdoption},
		{ID: "bot_csat", Label: "Chatbot CSAT", Group: GroupExperience, Unit: "stars", Target: 3.0, Margin: 0.2, Window: week, measure: meanScore(model.SurveyBot)},
		{ID: "bot_sentiment", Label: "Chatbot sentiment", Group: GroupExperience, Unit: "score", Dir: NoDirection, Window: week, measure: meanSentiment(model.SurveyBot)},
		{ID: "ces", Label: "Customer effort", Group: GroupExperience, Unit: "score", Dir: NoDirection, Window: week, measure: meanScore(model.SurveyCES)},
		{ID: "sla_compliance", Label: "SLA compliance", Group: GroupOperational, Unit: "%", Target: 0.95, Margin: 0.03, Window: week, measure: ratio(model.MTicketResolvedInSLA, model.MTicketResolvedSLA)},
		{ID: "handling_time_h", Label: "Handling time", Group: GroupOperational, Unit: "h", Dir: LowerIsBetter, Target: 24, Margin: 6, Window: week, measure: meanHours(model.MTicketResolvedSec, model.MTicketResolved)},
		{ID: "first_response_h", Label: "First response", Group: GroupOperational, Unit: "h", Dir: NoDirection, Window: week, measure: meanHours(model.MTicketFirstRespSec, model.MTicketFirstResp)},
		{ID: "resolution_rate", Label: "Resolution rate", Group: GroupOperational, Unit: "%", Dir: NoDirection, Window: week, measure: resolutionRate},
		{ID: "successful_resolution_rate", Label: "Resolution success", Group: GroupOperational, Unit: "%", Target: 0.90, Margin: 0.05, Window: week, measure: successfulResolutionRate},
		{ID: "backlog", Label: "Backlog", Group: GroupOperational, Unit: "", Dir: NoDirection, Cumulative: true, Window: day, measure: backlog},
		{ID: "order_processing_h", Label: "Order processing", Group: GroupOperational, Unit: "h", Dir: LowerIsBetter, Target: 24, Margin: 12, Window: week, measure: meanHours(model.MOrderProcessingSec, "ev."+model.EventOrderProcessed)},
		{ID: "form_abandonment", Label: "Form abandonment", Group: GroupOperational, Unit: "%", Dir: LowerIsBetter, Target: 0.25, Margin: 0.03, Window: week, measure: ratio("ev."+model.EventFormAbandoned, "ev."+model.EventFormStarted)},
		{ID: "digital_revenue_growth", Label: "Digital revenue growth", Group: GroupFinancial, Unit: "%", Target: 0.20, Margin: 0.05, Window: month, measure: digitalRevenueGrowth},
		{ID: "roi", Label: "Programme ROI", Group: GroupFinancial, Unit: "%", Target: 1.5, Margin: 0.25, Window: year, measure: roi(Programme{}), note: roiNote(Programme{})},
	}, loopDefs()...)
}

func scoreCount(survey string, score int) string { return model.FeedbackScoreMetric(survey, score) }

// dimmed is metric broken down by dim=value, or metric itself when value
// is "".
func dimmed(metric, dim, value string) string {
	if value == "" {
		return metric
	}
	return model.Dim(metric, dim, value)
}

// csat: share of CSAT answers scoring 4 or 5.
func csat(src Source, from, to uint32) (float64, int64, bool) { return csatOf("")(src, from, to) }

// csatOf is CSAT over the answers of one feedback kind ("" for all).
func csatOf(kind string) measure {
	return func(src Source, from, to uint32) (float64, int64, bool) {
		return csatWhere(src, "kind", kind, from, to)
	}
}

// csatWhere is CSAT over the answers whose dimension dim has value ("" for
// all answers).
func csatWhere(src Source, dim, value string, from, to uint32) (float64, int64, bool) {
	var pos, all int64
	for s := 1; s <= 5; s++ {
		n := src.Sum(dimmed(scoreCount(model.SurveyCSAT, s), dim, value), from, to)
		all += n
		if s >= 4 {
			pos += n
		}
	}
	if all == 0 {
		return 0, 0, false
	}
	return float64(pos) / float64(all), all, true
}

// nps: 100 × (promoters − detractors) / answers.
func nps(src Source, from, to uint32) (float64, int64, bool) { return npsWhere(src, "", "", from, to) }

// npsWhere is NPS over the answers whose dimension dim has value ("" for
// all answers).
func npsWhere(src Source, dim, value string, from, to uint32) (float64, int64, bool) {
	var pro, det, all int64
	for s := 0; s <= 10; s++ {
		n := src.Sum(dimmed(scoreCount(model.SurveyNPS, s), dim, value), from, to)
		all += n
		switch model.NPSCategory(s) {
		case "promoter":
			pro += n
		case "detractor":
			det += n
		}
	}
	if all == 0 {
		return 0, 0, false
	}
	return 100 * float64(pro-det) / float64(all), all, true
}

// meanSentiment is the mean sentiment (−1..1) a text analysis gave a
// survey's answers with a comment.
func meanSentiment(survey string) measure {
	return func(src Source, from, to uint32) (float64, int64, bool) {
		fam := "fb." + survey
		n := src.Sum(fam+model.MFeedbackSentimentN, from, to)
		if n == 0 {
			return 0, 0, false
		}
		return float64(src.Sum(fam+model.MFeedbackSentimentMilli, from, to)) / 1000 / float64(n), n, true
	}
}

// meanScore is the mean score of a survey's answers.
func meanScore(survey string) measure {
	return func(src Source, from, to uint32) (float64, int64, bool) {
		lo, hi, _ := model.SurveyRange(survey)
		var sum, all int64
		for s := lo; s <= hi; s++ {
			n := src.Sum(scoreCount(survey, s), from, to)
			all += n
			sum += n * int64(s)
		}
		if all == 0 {
			return 0, 0, false
		}
		return float64(sum) / float64(all), all, true
	}
}

// ratio is num / den over the window.
func ratio(num, den string) measure {
	return func(src Source, from, to uint32) (float64, int64, bool) {
		d := src.Sum(den, from, to)
		if d == 0 {
			return 0, 0, false
		}
		return float64(src.Sum(num, from, to)) / float64(d), d, true
	}
}

// meanHours is a sum of seconds over a count, in hours.
func meanHours(seconds, count string) measure {
	return func(src Source, from, to uint32) (float64, int64, bool) {
		n := src.Sum(count, from, to)
		if n == 0 {
			return 0, 0, false
		}
		return float64(src.Sum(seconds, from, to)) / float64(n) / 3600, n, true
	}
}

// digitalAdoption: distinct customers with a digital login / distinct
// customers with any record, both in the window.
func digitalAdoption(src Source, from, to uint32) (float64, int64, bool) {
	active := distinct(src, model.MActive, from, to)
	if active == 0 {
		return 0, 0, false
	}
	return float64(distinct(src, model.MDigitalActive, from, to)) / float64(active), int64(active), true
}

// resolutionRate: resolved in the window / (resolved in the window + tickets
// created in the window that are still open).
func resolutionRate(src Source, from, to uint32) (float64, int64, bool) {
	resolved := src.Sum(model.MTicketResolved, from, to)
	open := src.Sum(model.MTicketOpenCreated, from, to)
	if resolved+open == 0 {
		return 0, 0, false
	}
	return float64(resolved) / float64(resolved+open), resolved + open, true
}

// backlog: tickets created before the window's end and not resolved before
// it.
func backlog(src Source, _, to uint32) (float64, int64, bool) {
	created := src.Sum(model.MTicketCreated, 0, to)
	n := created - src.Sum(model.MTicketResolved, 0, to)
	return float64(n), created, true
}

// digitalRevenueGrowth: digital revenue in the window / digital revenue in
// the previous window of the same length − 1.
func digitalRevenueGrowth(src Source, from, to uint32) (float64, int64, bool) {
	metric := model.Dim(model.MPurchaseAmount, "digital", "true")
	span := to - from
	if from < span {
		return 0, 0, false
	}
	prev := src.Sum(metric, from-span, from)
	if prev == 0 {
		return 0, 0, false
	}
	now := src.Sum(model.Dim("ev."+model.EventPurchase, "digital", "true"), from, to)
	return float64(src.Sum(metric, from, to))/float64(prev) - 1, now, true
}

// successfulResolutionRate: tickets resolved in the window minus the
// distinct tickets with a failure in the window (a resolution in the window
// of a ticket that had been reopened, or a post-resolution CSAT answer of 1
// or 2 given in the window), over the tickets resolved in the window; never
// below 0.
func successfulResolutionRate(src Source, from, to uint32) (float64, int64, bool) {
	resolved := src.Sum(model.MTicketResolved, from, to)
	if resolved == 0 {
		return 0, 0, false
	}
	failed := int64(distinct(src, model.MResolutionFailed, from, to))
	return float64(max(resolved-failed, 0)) / float64(resolved), resolved, true
}
