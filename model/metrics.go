package model

import (
	"math"
	"strconv"
	"time"
)

// Rollup metrics: the hourly counters the store keeps for every record and
// the KPI engine reads. The names are the contract between the two; the
// store's docs/store.md lists what each counts. A metric name is a family
// with an optional dimension: "tk.created|type=complaint".

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

// Per-record families with a suffix that is not a customer id alone; like
// the activity families, a window's distinct suffixes are read with
// BySuffix.
const (
	// MResolutionFailed has the ticket id as suffix: +1 at resolved_at for a
	// done ticket whose history shows it was reopened (a status change away
	// from done), +1 at the answer's time for a post-resolution CSAT answer
	// of 1 or 2 about the ticket. successful_resolution_rate counts its
	// distinct tickets.
	MResolutionFailed = "tk.resolution_failed"
	// MNPSCustomerN and MNPSCustomerSum have "segment/customer" as suffix:
	// NPS answers of the customer (in the segment the answer names) and the
	// sum of their scores, so a window gives each customer's mean score.
	MNPSCustomerN   = "nps.cust.n"
	MNPSCustomerSum = "nps.cust.sum"
	// MRevenueCustomer has the customer id as suffix: purchase amounts.
	MRevenueCustomer = "ev.purchase.cust"
	// MPostResN and MPostResPos have the ticket id as suffix: a ticket's
	// post-resolution CSAT answers and those scoring 4 or 5, at the answer's
	// time, so CSAT after resolution breaks down by the ticket's type,
	// department or assignee (looked up for the tickets of a window).
	MPostResN   = "fb.postres.n"
	MPostResPos = "fb.postres.pos"
	// MLoopCloseHours has the hours a detractor's follow-up took from the
	// answer to done (capped at LoopHoursCap) as suffix, zero-padded: +1 at
	// the follow-up's resolution, so a window's median time to close the
	// loop is read from its histogram.
	MLoopCloseHours = "loop.close_h"
)

// NPSCustomerSuffix is the suffix of the per-customer NPS families.
func NPSCustomerSuffix(segment, customer string) string { return segment + "/" + customer }

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
