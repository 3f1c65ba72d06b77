package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/cxtop/cxtop/model"
)

// world is what Generate and Live share: the random stream, the customers,
// the taxonomy tables, the id counters and where produced records go.
type world struct {
	r    *rand.Rand
	tax  model.Taxonomy
	cust *customerPool

	// scale multiplies every delay: 1 for a history, 1/speed for a live demo.
	scale float64
	// The period: progress runs from 0 at start to 1 at start+span. A live
	// world has span 0 and is always at the end of the improvements.
	start, span int64
	inc         incident

	prefix           string
	nT, nF, nE, nO   uint64
	problems         []problem
	problemPick      picker // outside an incident
	incidentPick     picker // during an incident
	statusMid        string // the working status between new and done ("" = none)
	scratch          []byte
	put              func(at int64, r model.Record)
	channelsTxn      []string // where transactional surveys are answered
	channelsRelation []string // where relationship surveys are answered
}

// Touchpoints of the journey.
var touchpoints = []string{
	"delivery", "checkout", "store_visit", "app", "website", "payment", "after_sales", "promotion",
}

func newWorld(seed uint64, tax model.Taxonomy, prefix string, customers int) *world {
	w := &world{
		r:                newRand(seed),
		tax:              tax,
		cust:             newCustomerPool(seed, customers),
		scale:            1,
		prefix:           prefix,
		channelsTxn:      []string{"zalo_oa", "zalo_oa", "email", "mobile_app"},
		channelsRelation: []string{"email", "zalo_oa", "mobile_app"},
	}
	switch {
	case tax.HasStatus(model.StatusInProgress):
		w.statusMid = model.StatusInProgress
	default:
		for _, s := range tax.Statuses {
			if s != model.StatusNew && s != model.StatusDone {
				w.statusMid = s
				break
			}
		}
	}
	w.problems = buildProblems(&w.tax)
	normal := make([]float64, len(w.problems))
	inc := make([]float64, len(w.problems))
	for i, p := range w.problems {
		normal[i] = p.weight
		inc[i] = p.weight * p.incident
	}
	w.problemPick, w.incidentPick = newPicker(normal), newPicker(inc)
	return w
}

// progress is how far t is into the period, 0..1.
func (w *world) progress(t int64) float64 {
	if w.span <= 0 {
		return 1
	}
	return clamp(float64(t-w.start)/float64(w.span), 0, 1)
}

// later is t plus a delay of d seconds, scaled for live demos, at least
// minSec later.
func (w *world) later(t int64, d float64, minSec int64) int64 {
	return t + max(int64(d*w.scale+0.5), minSec)
}

// opsFactor slows or speeds the handling of work arriving at t: a noisy
// day-to-day workload, a team that gets better over the period, and the
// incident.
func (w *world) opsFactor(t int64) float64 {
	f := (1.12 - 0.24*w.progress(t)) * math.Exp(0.18*normalOf(hash3(w.cust.seed, 0x0b5, uint64(localDay(t)))))
	if w.inc.active(t) {
		f *= 1.7
	}
	return f
}

// digitalP is the chance the customer does something digitally at t: their
// affinity, growing over the period as the programme pushes the app.
func (w *world) digitalP(c customer, t int64) float64 {
	return clamp(c.affinity*(0.78+0.5*w.progress(t)), 0, 0.98)
}

func unixTime(t int64) time.Time { return time.Unix(t, 0).UTC() }

// stamp gives a feedback answer or event produced without id or time its id
// and its time, at the moment it is emitted, so ids follow emission order.
func (w *world) stamp(at int64, r model.Record) {
	switch {
	case r.Feedback != nil:
		w.nF++
		r.Feedback.ID = formatID(w.prefix, 'F', w.nF, feedbackWidth)
		r.Feedback.At = unixTime(at)
	case r.Event != nil:
		w.nE++
		r.Event.ID = formatID(w.prefix, 'E', w.nE, eventWidth)
		r.Event.At = unixTime(at)
	}
}

// channel returns name when the taxonomy knows it as a source, else "".
func (w *world) channel(name string) string {
	if slices.Contains(w.tax.Sources, name) {
		return name
	}
	return ""
}
