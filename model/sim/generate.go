package sim

import (
	"slices"

	"github.com/cxtop/cxtop/model"
)

// maxSlotItems bounds the items started in one slot: an hour holding more
// (a huge --tickets over few days) is cut into shorter slots, so memory
// stays bounded whatever the options.
const maxSlotItems = 4096

// Generate streams the history in batches of at most BatchSize records, in
// time order (tickets at their creation, feedback and events at their
// time). A ticket is written once, as it stands at End. Memory is bounded
// by a few days of pending follow-ups, not by the size of the history.
// Each batch is a new slice the callee may keep. Generate returns the first
// error from emit, or an error for options it cannot honour.
func Generate(opts Options, emit func(batch []model.Record) error) error {
	o, err := opts.normalize()
	if err != nil {
		return err
	}
	end := o.End.Unix()
	span := int64(o.Days) * 86400
	start := end - span
	w := newWorld(o.Seed, o.Taxonomy, "", poolSize(o.Tickets))
	w.start, w.span = start, span
	w.inc = pickIncident(w, start, o.Days)
	h := &history{w: w, end: end, size: o.BatchSize, emit: emit}
	w.put = h.put
	cal := newCalendar(o.Seed, start, o.Days, o.Tickets, w.inc)
	var times []int64
	for k := range cal.hours {
		counts := cal.next(k)
		total := 0
		for _, n := range counts {
			total += n
		}
		parts := max(1, min(3600, (total+maxSlotItems-1)/maxSlotItems))
		t0 := start + int64(k)*3600
		for j := range parts {
			a, b := t0+int64(j*3600/parts), t0+int64((j+1)*3600/parts)
			h.floor = a
			for s, n := range counts {
				n = n*(j+1)/parts - n*j/parts
				if s == stTickets {
					times = times[:0]
					for range n {
						times = append(times, a+w.r.Int64N(b-a))
					}
					slices.Sort(times)
					for _, t := range times {
						p := w.planTicket(t)
						h.put(t, model.Record{Ticket: w.ticketAsOf(p, end)})
					}
					continue
				}
				for range n {
					w.unit(s, a+w.r.Int64N(b-a))
				}
			}
			if err := h.drain(b); err != nil {
				return err
			}
		}
	}
	if err := h.drain(end + 1); err != nil {
		return err
	}
	return h.flush()
}

// pickIncident places the delivery incident: 3–5 days between 35% and 75%
// of a period of 10 days or more, one day in a shorter one of 4 or more.
func pickIncident(w *world, start int64, days int) incident {
	var first, length int
	switch {
	case days >= 10:
		length = 3 + w.r.IntN(3)
		first = days*35/100 + w.r.IntN(max(1, days*40/100-length))
	case days >= 4:
		length = 1
		first = 1 + w.r.IntN(days-2)
	default:
		return incident{}
	}
	// Align to local midnight.
	from := start + int64(first)*86400
	from -= ((from+tzOffset)%86400 + 86400) % 86400
	return incident{from: from, to: from + int64(length)*86400}
}

// history collects records in a time-ordered queue and emits them in
// batches once their time has passed.
type history struct {
	w     *world
	q     queue
	seq   uint64
	end   int64
	floor int64 // start of the slot being filled: nothing is put before it
	size  int
	batch []model.Record
	emit  func([]model.Record) error
}

func (h *history) put(at int64, r model.Record) {
	if at > h.end {
		return
	}
	at = max(at, h.floor)
	h.seq++
	h.q.push(item{at: at, seq: h.seq, rec: r})
}

// drain emits every queued record before until.
func (h *history) drain(until int64) error {
	for {
		at, ok := h.q.peek()
		if !ok || at >= until {
			return nil
		}
		it := h.q.pop()
		h.w.stamp(it.at, it.rec)
		// A detractor's follow-up ticket goes in the same batch as the
		// answer: a hub that commits batch by batch never holds the answer
		// without it, so its automation never makes a second one.
		var fu *ticketPlan
		if it.rec.Feedback != nil {
			fu = h.w.followUp(it.rec.Feedback)
		}
		if fu != nil && len(h.batch)+2 > h.size {
			if err := h.flush(); err != nil {
				return err
			}
		}
		if h.batch == nil {
			h.batch = make([]model.Record, 0, h.size)
		}
		h.batch = append(h.batch, it.rec)
		if fu != nil {
			h.batch = append(h.batch, model.Record{Ticket: h.w.ticketAsOf(fu, h.end)})
		}
		if len(h.batch) >= h.size {
			if err := h.flush(); err != nil {
				return err
			}
		}
	}
}

func (h *history) flush() error {
	if len(h.batch) == 0 {
		return nil
	}
	b := h.batch
	h.batch = nil
	return h.emit(b)
}
