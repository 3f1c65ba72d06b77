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

// contribution is one record's share of one rollup counter.
type contribution struct {
	key   string // metric NUL hour [suffix], as a string to be a map key
	delta int64
}

func rollupKey(metric string, hour uint32, suffix string) string {
	var h [4]byte
	binary.BigEndian.PutUint32(h[:], hour)
	return metric + "\x00" + string(h[:]) + suffix
}

// contributions calls add for every counter record r adds to, with sign +1
// to add it or −1 to take it back.
func contributions(r model.Record, sign int64, add func(key string, delta int64)) {
	switch {
	case r.Ticket != nil:
		ticketContributions(r.Ticket, sign, add)
	case r.Feedback != nil:
		feedbackContributions(r.Feedback, sign, add)
	case r.Event != nil:
		eventContributions(r.Event, sign, add)
	}
}

func ticketContributions(t *model.Ticket, sign int64, add func(string, int64)) {
	created := HourOf(t.CreatedAt)
	add(rollupKey(MTicketCreated, created, ""), sign)
	for _, d := range [...][2]string{
		{"type", t.Type}, {"subtype", t.Type + "/" + t.SubType}, {"source", t.Source},
		{"dept", t.Department}, {"priority", t.Priority}, {"segment", t.Segment},
	} {
		add(rollupKey(Dim(MTicketCreated, d[0], d[1]), created, ""), sign)
	}
	if t.Open() {
		add(rollupKey(MTicketOpenCreated, created, ""), sign)
	}
	if t.Escalated {
		add(rollupKey(MTicketEscalated, created, ""), sign)
	}
	if !t.FirstResponseAt.IsZero() {
		h := HourOf(t.FirstResponseAt)
		add(rollupKey(MTicketFirstResp, h, ""), sign)
		add(rollupKey(MTicketFirstRespSec, h, ""), sign*seconds(t.FirstResponseAt.Sub(t.CreatedAt)))
	}
	if !t.Open() && !t.ResolvedAt.IsZero() {
		h := HourOf(t.ResolvedAt)
		sec := sign * seconds(t.ResolvedAt.Sub(t.CreatedAt))
		add(rollupKey(MTicketResolved, h, ""), sign)
		add(rollupKey(MTicketResolvedSec, h, ""), sec)
		for _, d := range [...][2]string{{"type", t.Type}, {"source", t.Source}, {"dept", t.Department}} {
			add(rollupKey(Dim(MTicketResolved, d[0], d[1]), h, ""), sign)
			add(rollupKey(Dim(MTicketResolvedSec, d[0], d[1]), h, ""), sec)
		}
		if !t.SLADueAt.IsZero() {
			add(rollupKey(MTicketResolvedSLA, h, ""), sign)
			if !t.ResolvedAt.After(t.SLADueAt) {
				add(rollupKey(MTicketResolvedInSLA, h, ""), sign)
			}
		}
	}
	if t.CustomerID != "" {
		add(rollupKey(MActive, created, t.CustomerID), sign)
	}
}

func feedbackContributions(f *model.Feedback, sign int64, add func(string, int64)) {
	h := HourOf(f.At)
	m := FeedbackScoreMetric(f.Survey, f.Score)
	add(rollupKey(m, h, ""), sign)
	for _, d := range [...][2]string{
		{"segment", f.Segment}, {"touchpoint", f.Touchpoint}, {"channel", f.Channel}, {"kind", f.Kind},
	} {
		if d[1] != "" {
			add(rollupKey(Dim(m, d[0], d[1]), h, ""), sign)
		}
	}
	if f.Sentiment != nil {
		fam := "fb." + f.Survey
		add(rollupKey(fam+MFeedbackSentimentN, h, ""), sign)
		add(rollupKey(fam+MFeedbackSentimentMilli, h, ""), sign*int64(math.Round(*f.Sentiment*1000)))
	}
	if f.CustomerID != "" {
		add(rollupKey(MActive, h, f.CustomerID), sign)
	}
}

func eventContributions(e *model.Event, sign int64, add func(string, int64)) {
	h := HourOf(e.At)
	m := "ev." + e.Type
	add(rollupKey(m, h, ""), sign)
	switch e.Type {
	case model.EventFormStarted, model.EventFormCompleted, model.EventFormAbandoned:
		if e.Variant != "" {
			add(rollupKey(Dim(m, "variant", e.Variant), h, ""), sign)
		}
	case model.EventPurchase:
		digital := strconv.FormatBool(e.Digital)
		add(rollupKey(Dim(m, "digital", digital), h, ""), sign)
		add(rollupKey(MPurchaseAmount, h, ""), sign*e.Amount)
		add(rollupKey(Dim(MPurchaseAmount, "digital", digital), h, ""), sign*e.Amount)
		if e.Segment != "" {
			add(rollupKey(Dim(MPurchaseAmount, "segment", e.Segment), h, ""), sign*e.Amount)
		}
	case model.EventOrderProcessed:
		add(rollupKey(MOrderProcessingSec, h, ""), sign*seconds(e.At.Sub(e.PlacedAt)))
	}
	if e.CustomerID != "" {
		add(rollupKey(MActive, h, e.CustomerID), sign)
		if e.Type == model.EventDigitalLogin {
			add(rollupKey(MDigitalActive, h, e.CustomerID), sign)
		}
	}
}

func seconds(d time.Duration) int64 { return int64(d / time.Second) }
