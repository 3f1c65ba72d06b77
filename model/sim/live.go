package sim

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/cxtop/cxtop/model"
)

// Live produces the records of a running hub or demo: new tickets, feedback
// and events arriving now, and the later updates of the tickets it created.
// It is not safe for concurrent use.
type Live struct {
	// Speed is how many times faster than real time the life of what Live
	// creates runs: responses, resolutions, surveys and order processing.
	// At the default 60 a ticket's median resolution of 14 hours takes 14
	// minutes, so a demo shows tickets moving. SLA due times stay real.
	Speed float64

	w     *world
	q     queue
	seq   uint64
	floor int64
	times []int64
	mix   picker
}

// Bounds of one Step: a first call from the zero time, or a long pause,
// produces at most the last hour's worth and at most 100,000 new items.
const (
	maxLiveWindow = 3600
	maxLiveUnits  = 100_000
)

// recordsPerUnit is how many records one item of the mix brings over its
// life (a ticket its updates aside, an order its payment and processing,
// ...): it turns a rate in records per second into items per second.
const recordsPerUnit = 2.4

// NewLive returns a live generator. Records are named idPrefix + the
// history's ids ("L1-T00000001"), so they never collide with Generate's or
// with another Live's of a different prefix; an empty prefix is "L".
// Customers are the history's ("C" + 6 digits, same traits for the same
// seed). An invalid taxonomy is replaced by the default one.
func NewLive(seed uint64, tax model.Taxonomy, idPrefix string) *Live {
	tax = orDefault(tax)
	if tax.Check() != nil {
		tax = model.DefaultTaxonomy()
	}
	if idPrefix == "" {
		idPrefix = "L"
	}
	h := fnv.New64a()
	h.Write([]byte(idPrefix))
	l := &Live{Speed: 60, mix: newPicker(streamRatio[:])}
	l.w = newWorld(seed, tax, idPrefix, poolSize(DefaultDailyRate*DefaultDays))
	l.w.r = rand.New(rand.NewPCG(seed, pcgStream^h.Sum64()))
	l.w.put = l.put
	return l
}

// Step returns the records that arrive in (from, to], in time order: new
// tickets, feedback and events at about rate records per second in total
// (counting what they bring later, such as an order's processing or a
// survey after resolution), plus each update of a ticket this Live created
// earlier (assignment, first response, escalation, resolution), as the
// whole ticket with its history appended, Version incremented and
// UpdatedAt set. Times are whole seconds. Updates that fell due in an
// interval no call covered come with the next call, at their own times.
func (l *Live) Step(from, to time.Time, rate float64) []model.Record {
	lo, hi := from.Unix()+1, to.Unix()
	if hi < lo {
		return nil
	}
	lo = max(lo, hi-maxLiveWindow+1)
	l.floor = lo
	w := l.w
	w.scale = 1.0 / 60
	if l.Speed > 0 && !math.IsInf(l.Speed, 0) {
		w.scale = 1 / l.Speed
	}
	if rate > 0 && !math.IsInf(rate, 0) {
		n := min(poisson(w.r, min(rate*float64(hi-lo+1)/recordsPerUnit, maxLiveUnits)), maxLiveUnits)
		l.times = l.times[:0]
		for range n {
			l.times = append(l.times, lo+w.r.Int64N(hi-lo+1))
		}
		slices.Sort(l.times)
		for _, t := range l.times {
			if s := l.mix.pick(w.r); s != stTickets {
				w.unit(s, t)
				continue
			}
			p := w.planTicket(t)
			l.push(item{at: t, plan: p})
			last := t
			for _, s := range p.steps[:p.nSteps] {
				if s.at > last {
					l.push(item{at: s.at, plan: p})
					last = s.at
				}
			}
		}
	}
	var out []model.Record
	for {
		at, ok := l.q.peek()
		if !ok || at > hi {
			return out
		}
		it := l.q.pop()
		if it.plan != nil {
			tk := w.ticketAsOf(it.plan, it.at)
			tk.Tags = slices.Clone(tk.Tags)
			out = append(out, model.Record{Ticket: tk})
			continue
		}
		w.stamp(it.at, it.rec)
		out = append(out, it.rec)
		if it.rec.Feedback == nil {
			continue
		}
		if p := w.followUp(it.rec.Feedback); p != nil {
			// In the same step as the answer (see history.drain), then
			// its updates as they fall due.
			out = append(out, model.Record{Ticket: w.ticketAsOf(p, it.at)})
			for _, s := range p.steps[:p.nSteps] {
				l.push(item{at: s.at, plan: p})
			}
		}
	}
}

func (l *Live) put(at int64, r model.Record) { l.push(item{at: max(at, l.floor), rec: r}) }

func (l *Live) push(it item) {
	l.seq++
	it.seq = l.seq
	l.q.push(it)
}
