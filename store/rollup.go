package store

import (
	"encoding/binary"
	"math"
	"strconv"
	"time"

	"github.com/cxtop/cxtop/model"
)

// Rollups are hourly integer counters keyed metric NUL hour(4 bytes) and,
// for per-customer metrics, a suffix. Integers (seconds, milli-units,
// minor currency units) keep them exact: adding and removing a record's
// contribution never drifts, so a rollup always equals a recomputation from
// the records (cxtop check verifies it). docs/store.md lists the metrics.
//
// Metric names are family[|dimension=value]; e.g. "tk.created|type=complaint".

// Metric families written for tickets.
const (
	MTicketCreated       = "tk.created"            // at created_at
	MTicketOpenCreated   = "tk.open_created"       // at created_at, tickets still open
	MTicketEscalated     = "tk.escalated"          // at created_at
	MTicketFirstResp     = "tk.first_response"     // at first_response_at
	MTicketFirstRespSec  = "tk.first_response.sec" // seconds created → first response
	MTicketResolved      = "tk.resolved"           // at resolved_at
	MTicketResolvedSec   = "tk.resolved.sec"       // seconds created → resolved
	MTicketResolvedSLA   = "tk.resolved.with_sla"  // resolved tickets that had an SLA due time
	MTicketResolvedInSLA = "tk.resolved.in_sla"    // ... and were resolved by it
)

// Feedback metrics: "fb.<survey>.s<score>" counts answers with that score;
// sentiment sums are in thousandths.
const (
	MFeedbackSentimentN     = ".sentiment.n"
	MFeedbackSentimentMilli = ".sentiment.milli"
)

// Event metrics: "ev.<type>" counts; purchases also sum amounts; processed
// orders sum their processing seconds.
const (
	MPurchaseAmount     = "ev.purchase.amount"
	MOrderProcessingSec = "ev.order_processed.sec"
)

// Activity metrics carry the customer id as a suffix, so the number of
// distinct active customers in a window is the number of distinct suffixes.
const (
	MActive        = "act"         // any record of the customer
	MDigitalActive = "act.digital" // digital_login events of the customer
)

// FeedbackScoreMetric is the count metric of one score of one survey.
func FeedbackScoreMetric(survey string, score int) string {
	return "fb." + survey + ".s" + strconv.Itoa(score)
}

// Dim appends a dimension to a metric family.
func Dim(metric, dim, value string) string { return metric + "|" + dim + "=" + value }

// HourOf is the rollup hour (hours since the Unix epoch) that holds t.
func HourOf(t time.Time) uint32 {
	h := t.Unix() / 3600
	if t.Unix() < 0 {
		return 0
	}
	if h > math.MaxUint32 {
		return math.MaxUint32
	}
	return uint32(h)
}

// HourTime is the start of rollup hour h.
func HourTime(h uint32) time.Time { return time.Unix(int64(h)*3600, 0).UTC() }

// keyBuilder builds rollup keys in one reused buffer: a batch adds tens of
// contributions per record and most hit keys already in the batch's map,
// so building them must not allocate.
type keyBuilder struct {
	buf  []byte
	sink func(key []byte, delta int64)
}

// add counts delta on metric (with an optional dimension) at hour, for the
// customer in suffix when the metric is per customer.
func (kb *keyBuilder) add(metric, dim, value string, hour uint32, suffix string, delta int64) {
	k := append(kb.buf[:0], metric...)
	if dim != "" {
		k = append(k, '|')
		k = append(k, dim...)
		k = append(k, '=')
		k = append(k, value...)
	}
	k = append(k, 0, byte(hour>>24), byte(hour>>16), byte(hour>>8), byte(hour))
	k = append(k, suffix...)
	kb.buf = k
	kb.sink(k, delta)
}

func rollupKey(metric string, hour uint32, suffix string) string {
	var h [4]byte
	binary.BigEndian.PutUint32(h[:], hour)
	return metric + "\x00" + string(h[:]) + suffix
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
	created := HourOf(t.CreatedAt)
	kb.add(MTicketCreated, "", "", created, "", sign)
	kb.add(MTicketCreated, "type", t.Type, created, "", sign)
	kb.add(MTicketCreated, "subtype", t.Type+"/"+t.SubType, created, "", sign)
	kb.add(MTicketCreated, "source", t.Source, created, "", sign)
	kb.add(MTicketCreated, "dept", t.Department, created, "", sign)
	kb.add(MTicketCreated, "priority", t.Priority, created, "", sign)
	kb.add(MTicketCreated, "segment", t.Segment, created, "", sign)
	if t.Open() {
		kb.add(MTicketOpenCreated, "", "", created, "", sign)
	}
	if t.Escalated {
		kb.add(MTicketEscalated, "", "", created, "", sign)
	}
	if !t.FirstResponseAt.IsZero() {
		h := HourOf(t.FirstResponseAt)
		kb.add(MTicketFirstResp, "", "", h, "", sign)
		kb.add(MTicketFirstRespSec, "", "", h, "", sign*seconds(t.FirstResponseAt.Sub(t.CreatedAt)))
	}
	if !t.Open() && !t.ResolvedAt.IsZero() {
		h := HourOf(t.ResolvedAt)
		sec := sign * seconds(t.ResolvedAt.Sub(t.CreatedAt))
		kb.add(MTicketResolved, "", "", h, "", sign)
		kb.add(MTicketResolvedSec, "", "", h, "", sec)
		for _, d := range [...][2]string{{"type", t.Type}, {"source", t.Source}, {"dept", t.Department}} {
			kb.add(MTicketResolved, d[0], d[1], h, "", sign)
			kb.add(MTicketResolvedSec, d[0], d[1], h, "", sec)
		}
		if !t.SLADueAt.IsZero() {
			kb.add(MTicketResolvedSLA, "", "", h, "", sign)
			if !t.ResolvedAt.After(t.SLADueAt) {
				kb.add(MTicketResolvedInSLA, "", "", h, "", sign)
			}
		}
	}
	if t.CustomerID != "" {
		kb.add(MActive, "", "", created, t.CustomerID, sign)
	}
}

// feedbackScoreFamilies caches "fb.<survey>.s<score>" so the hot path does
// not format it per record.
var feedbackScoreFamilies = func() map[string][]string {
	m := map[string][]string{}
	for _, s := range model.Surveys {
		_, hi, _ := model.SurveyRange(s)
		for score := 0; score <= hi; score++ {
			m[s] = append(m[s], FeedbackScoreMetric(s, score))
		}
	}
	return m
}()

func feedbackContributions(f *model.Feedback, sign int64, kb *keyBuilder) {
	h := HourOf(f.At)
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
		kb.add(fam+MFeedbackSentimentN, "", "", h, "", sign)
		kb.add(fam+MFeedbackSentimentMilli, "", "", h, "", sign*int64(math.Round(*f.Sentiment*1000)))
	}
	if f.CustomerID != "" {
		kb.add(MActive, "", "", h, f.CustomerID, sign)
	}
}

func eventContributions(e *model.Event, sign int64, kb *keyBuilder) {
	h := HourOf(e.At)
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
		kb.add(MPurchaseAmount, "", "", h, "", sign*e.Amount)
		kb.add(MPurchaseAmount, "digital", digital, h, "", sign*e.Amount)
		if e.Segment != "" {
			kb.add(MPurchaseAmount, "segment", e.Segment, h, "", sign*e.Amount)
		}
	case model.EventOrderProcessed:
		kb.add(MOrderProcessingSec, "", "", h, "", sign*seconds(e.At.Sub(e.PlacedAt)))
	}
	if e.CustomerID != "" {
		kb.add(MActive, "", "", h, e.CustomerID, sign)
		if e.Type == model.EventDigitalLogin {
			kb.add(MDigitalActive, "", "", h, e.CustomerID, sign)
		}
	}
}

func seconds(d time.Duration) int64 { return int64(d / time.Second) }
