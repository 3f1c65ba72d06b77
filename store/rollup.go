package store

import (
	"math"
	"strconv"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
)

// Rollups are hourly integer counters per metric (packed per family and
// hour, see rollup_pack.go). Integers (seconds, milli-units, minor currency
// units) keep them exact: adding and removing a record's contribution never
// drifts, so a rollup always equals a recomputation from the records (cxtop
// check verifies it). docs/store.md lists the metrics.
//
// Metric names are family[|dimension=value]; e.g. "tk.created|type=complaint".

// The families whose sub-keys are suffixes (customer or ticket ids), named
// here for rollup_pack.go.
var perSuffixFamilies = []string{
	model.MActive, model.MDigitalActive,
	model.MResolutionFailed, model.MNPSCustomerN, model.MNPSCustomerSum, model.MRevenueCustomer,
	model.MPostResN, model.MPostResPos, model.MLoopCloseHours,
	// Sub-keys are the start hours of gaps (rollup_span.go).
	spanGap(model.MActive), spanGap(model.MDigitalActive),
	spanGap(model.MActive) + daySuffix, spanGap(model.MDigitalActive) + daySuffix,
}

// totalsFamily holds, per hour, the total of every family that has one
// (no dimension, no suffix), its sub-key the family's name: a trend line
// reads a window's hours of every KPI's families in one pass over small
// values, instead of each family's hourly values, which carry its
// breakdowns (1.6 KB an hour for tk.created at 1M tickets) and whose pages
// a freshly opened store faults in one by one (rollup_totals.go).
const totalsFamily = "@tot"

// keyBuilder builds packed keys and sub-keys in reused buffers: a batch
// adds tens of contributions per record and most hit counters already in
// the batch's map, so building them must not allocate.
type keyBuilder struct {
	key, sub []byte
	sink     func(packedKey, sub []byte, delta int64)
	// hourly leaves out the day keys: the writer derives them from the
	// batch's hourly deltas at flush (addDayDeltas), which halves its
	// contributions' map additions.
	hourly bool
}

// add counts delta on metric (with an optional dimension) at hour, for the
// customer in suffix when the metric is per customer.
func (kb *keyBuilder) add(metric, dim, value string, hour uint32, suffix string, delta int64) {
	kb.key = packedKey(kb.key[:0], metric, hour)
	sub := kb.sub[:0]
	if dim != "" {
		sub = append(sub, dim...)
		sub = append(sub, '=')
		sub = append(sub, value...)
	}
	sub = append(sub, suffix...)
	kb.sub = sub
	kb.sink(kb.key, sub, delta)
	if suffix == "" {
		if !kb.hourly {
			kb.key = packedDayKey(kb.key[:0], metric, hour)
			kb.sink(kb.key, sub, delta)
		}
		if dim == "" {
			// The family's total again, in the hour's totals key.
			kb.key = packedKey(kb.key[:0], totalsFamily, hour)
			kb.sub = append(kb.sub[:0], metric...)
			kb.sink(kb.key, kb.sub, delta)
		}
	}
}

// contributions adds to kb every counter record r counts in, with sign +1
// to add it or −1 to take it back.
func contributions(r model.Record, sign int64, kb *keyBuilder) {
	switch {
	case r.Ticket != nil:
		ticketContributions(r.Ticket, sign, kb)
	case r.Feedback != nil:
		feedbackContributions(r.Feedback, sign, kb)
	case r.Event != nil:
		eventContributions(r.Event, sign, kb)
	}
}

func ticketContributions(t *model.Ticket, sign int64, kb *keyBuilder) {
	created := model.HourOf(t.CreatedAt)
	kb.add(model.MTicketCreated, "", "", created, "", sign)
	kb.add(model.MTicketCreated, "type", t.Type, created, "", sign)
	kb.add(model.MTicketCreated, "subtype", t.Type+"/"+t.SubType, created, "", sign)
	kb.add(model.MTicketCreated, "source", t.Source, created, "", sign)
	kb.add(model.MTicketCreated, "dept", t.Department, created, "", sign)
	kb.add(model.MTicketCreated, "priority", t.Priority, created, "", sign)
	kb.add(model.MTicketCreated, "segment", t.Segment, created, "", sign)
	for _, d := range [...][2]string{{"assignee", t.Assignee}, {"touchpoint", t.Touchpoint}} {
		if d[1] != "" {
			kb.add(model.MTicketCreated, d[0], d[1], created, "", sign)
		}
	}
	if t.Open() {
		kb.add(model.MTicketOpenCreated, "", "", created, "", sign)
	}
	if t.Escalated {
		kb.add(model.MTicketEscalated, "", "", created, "", sign)
	}
	if !t.FirstResponseAt.IsZero() {
		h := model.HourOf(t.FirstResponseAt)
		kb.add(model.MTicketFirstResp, "", "", h, "", sign)
		kb.add(model.MTicketFirstRespSec, "", "", h, "", sign*seconds(t.FirstResponseAt.Sub(t.CreatedAt)))
	}
	if !t.Open() && !t.ResolvedAt.IsZero() {
		h := model.HourOf(t.ResolvedAt)
		sec := sign * seconds(t.ResolvedAt.Sub(t.CreatedAt))
		inSLA := !t.SLADueAt.IsZero() && !t.ResolvedAt.After(t.SLADueAt)
		for _, d := range ticketDims(t) {
			if d[1] == "" && d[0] != "" {
				continue
			}
			kb.add(model.MTicketResolved, d[0], d[1], h, "", sign)
			kb.add(model.MTicketResolvedSec, d[0], d[1], h, "", sec)
			if !t.SLADueAt.IsZero() {
				kb.add(model.MTicketResolvedSLA, d[0], d[1], h, "", sign)
			}
			if inSLA {
				kb.add(model.MTicketResolvedInSLA, d[0], d[1], h, "", sign)
			}
		}
	}
	if t.Status == model.StatusDone && !t.ResolvedAt.IsZero() && reopened(t) {
		kb.add(model.MResolutionFailed, "", "", model.HourOf(t.ResolvedAt), t.ID, sign)
	}
	if t.CustomerID != "" {
		kb.add(model.MActive, "", "", created, t.CustomerID, sign)
	}
	if _, ok := alert.FollowUpOf(t.ID); ok {
		loopContributions(t, created, sign, kb)
	}
}

// ticketDims are the dimensions a resolved ticket is counted by, the
// whole (no dimension) first; the sub-type is "type/subtype".
func ticketDims(t *model.Ticket) [8][2]string {
	return [8][2]string{{"", ""}, {"type", t.Type}, {"subtype", t.Type + "/" + t.SubType}, {"source", t.Source},
		{"dept", t.Department}, {"assignee", t.Assignee}, {"segment", t.Segment}, {"touchpoint", t.Touchpoint}}
}

// loopContributions count a detractor's follow-up ticket in the closed-loop
// families (model/metrics_loop.go).
func loopContributions(t *model.Ticket, created uint32, sign int64, kb *keyBuilder) {
	kb.add(model.MLoopOpened, "", "", created, "", sign)
	contact := t.FirstResponseAt
	if contact.IsZero() && !t.Open() {
		contact = t.ResolvedAt
	}
	if !contact.IsZero() && contact.Sub(t.CreatedAt) <= model.LoopContactWithin {
		kb.add(model.MLoopContacted24, "", "", created, "", sign)
	}
	if t.Open() || t.ResolvedAt.IsZero() {
		return
	}
	took := t.ResolvedAt.Sub(t.CreatedAt)
	if took <= model.LoopCloseWithin {
		kb.add(model.MLoopClosed10d, "", "", created, "", sign)
	}
	kb.add(model.MLoopCloseHours, "", "", model.HourOf(t.ResolvedAt), model.LoopHoursSuffix(took), sign)
}

// reopened reports whether a ticket's history shows it left done once.
func reopened(t *model.Ticket) bool {
	for _, c := range t.History {
		if c.Field == "status" && c.Old == model.StatusDone && c.New != model.StatusDone {
			return true
		}
	}
	return false
}

// feedbackScoreFamilies caches "fb.<survey>.s<score>" so the hot path does
// not format it per record.
var feedbackScoreFamilies = func() map[string][]string {
	m := map[string][]string{}
	for _, s := range model.Surveys {
		_, hi, _ := model.SurveyRange(s)
		for score := 0; score <= hi; score++ {
			m[s] = append(m[s], model.FeedbackScoreMetric(s, score))
		}
	}
	return m
}()

func feedbackContributions(f *model.Feedback, sign int64, kb *keyBuilder) {
	h := model.HourOf(f.At)
	m := feedbackScoreFamilies[f.Survey][f.Score]
	kb.add(m, "", "", h, "", sign)
	for _, d := range [...][2]string{
		{"segment", f.Segment}, {"touchpoint", f.Touchpoint}, {"channel", f.Channel}, {"kind", f.Kind},
	} {
		if d[1] != "" {
			kb.add(m, d[0], d[1], h, "", sign)
		}
	}
	if f.Sentiment != nil {
		fam := "fb." + f.Survey
		kb.add(fam+model.MFeedbackSentimentN, "", "", h, "", sign)
		kb.add(fam+model.MFeedbackSentimentMilli, "", "", h, "", sign*int64(math.Round(*f.Sentiment*1000)))
	}
	if f.Survey == model.SurveyCSAT && f.Kind == model.KindPostResolution && f.TicketID != "" && f.Score <= 2 {
		kb.add(model.MResolutionFailed, "", "", h, f.TicketID, sign)
	}
	if f.Survey == model.SurveyCSAT && f.Kind == model.KindPostResolution && f.TicketID != "" {
		kb.add(model.MPostResN, "", "", h, f.TicketID, sign)
		if f.Score >= 4 {
			kb.add(model.MPostResPos, "", "", h, f.TicketID, sign)
		}
	}
	if f.Survey == model.SurveyNPS && f.CustomerID != "" {
		suffix := model.NPSCustomerSuffix(f.Segment, f.CustomerID)
		kb.add(model.MNPSCustomerN, "", "", h, suffix, sign)
		kb.add(model.MNPSCustomerSum, "", "", h, suffix, sign*int64(f.Score))
	}
	if f.CustomerID != "" {
		kb.add(model.MActive, "", "", h, f.CustomerID, sign)
	}
}

func eventContributions(e *model.Event, sign int64, kb *keyBuilder) {
	h := model.HourOf(e.At)
	m := "ev." + e.Type
	kb.add(m, "", "", h, "", sign)
	switch e.Type {
	case model.EventFormStarted, model.EventFormCompleted, model.EventFormAbandoned:
		if e.Variant != "" {
			kb.add(m, "variant", e.Variant, h, "", sign)
		}
	case model.EventPurchase:
		digital := strconv.FormatBool(e.Digital)
		kb.add(m, "digital", digital, h, "", sign)
		kb.add(model.MPurchaseAmount, "", "", h, "", sign*e.Amount)
		kb.add(model.MPurchaseAmount, "digital", digital, h, "", sign*e.Amount)
		if e.Segment != "" {
			kb.add(model.MPurchaseAmount, "segment", e.Segment, h, "", sign*e.Amount)
		}
		if e.CustomerID != "" {
			kb.add(model.MRevenueCustomer, "", "", h, e.CustomerID, sign*e.Amount)
		}
	case model.EventOrderProcessed:
		kb.add(model.MOrderProcessingSec, "", "", h, "", sign*seconds(e.At.Sub(e.PlacedAt)))
	}
	if e.CustomerID != "" {
		kb.add(model.MActive, "", "", h, e.CustomerID, sign)
		if e.Type == model.EventDigitalLogin {
			kb.add(model.MDigitalActive, "", "", h, e.CustomerID, sign)
		}
	}
}

func seconds(d time.Duration) int64 { return int64(d / time.Second) }
