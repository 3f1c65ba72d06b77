package sim

import "github.com/cxtop/cxtop/model"

// item is a record waiting for its time, or (live) a ticket's next update.
type item struct {
	at   int64
	seq  uint64 // insertion order: ties come out first in, first out
	rec  model.Record
	plan *ticketPlan
}

func (a *item) before(b *item) bool { return a.at < b.at || a.at == b.at && a.seq < b.seq }

// queue is a binary min-heap of items by (at, seq).
type queue []item

func (q *queue) push(it item) {
	h := append(*q, it)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h[i].before(&h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
	*q = h
}

func (q *queue) pop() item {
	h := *q
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h[n] = item{}
	h = h[:n]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < n && h[l].before(&h[m]) {
			m = l
		}
		if l+1 < n && h[l+1].before(&h[m]) {
			m = l + 1
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	*q = h
	return top
}

// peek is the time of the next item; ok is false when the queue is empty.
func (q queue) peek() (at int64, ok bool) {
	if len(q) == 0 {
		return 0, false
	}
	return q[0].at, true
}
