package store

import "sync"

// Change summarises what one or more committed batches changed. A
// subscriber that falls behind gets the batches merged into one Change, so
// the writer never waits for a reader.
type Change struct {
	Seq      uint64   // change-log sequence after the last merged batch
	Tickets  []string // ids of changed tickets, at most MaxChangeIDs
	Feedback int      // feedback answers written
	Events   int      // events written
	// More is set when more tickets changed than Tickets lists: a reader
	// should refresh whole views rather than rows.
	More bool
	// Meta is set when a batch wrote meta entries (sync state, cursors).
	Meta bool
	// Alerts is set when a batch wrote an alert (fired, acknowledged,
	// resolved): a reader of the alert list reloads it only then.
	Alerts bool
}

// MaxChangeIDs bounds the ticket ids a Change carries.
const MaxChangeIDs = 256

func (c *Change) merge(o Change) {
	if o.Seq > c.Seq {
		c.Seq = o.Seq
	}
	c.Feedback += o.Feedback
	c.Events += o.Events
	c.More = c.More || o.More
	c.Meta = c.Meta || o.Meta
	c.Alerts = c.Alerts || o.Alerts
	for _, id := range o.Tickets {
		if len(c.Tickets) >= MaxChangeIDs {
			c.More = true
			break
		}
		c.Tickets = append(c.Tickets, id)
	}
}

// Empty reports whether nothing is pending.
func (c *Change) Empty() bool {
	return c.Seq == 0 && len(c.Tickets) == 0 && c.Feedback == 0 && c.Events == 0 && !c.More && !c.Meta && !c.Alerts
}

// Subscription receives change summaries. Wait on C, then call Take.
type Subscription struct {
	C <-chan struct{}

	ch      chan struct{}
	mu      sync.Mutex
	pending Change
	closed  bool
	store   *Store
}

// Subscribe starts receiving a summary after every committed write.
func (s *Store) Subscribe() *Subscription {
	ch := make(chan struct{}, 1)
	sub := &Subscription{C: ch, ch: ch, store: s}
	s.subsMu.Lock()
	s.subs[sub] = struct{}{}
	s.subsMu.Unlock()
	return sub
}

// Take returns what changed since the last Take and clears it.
func (sub *Subscription) Take() Change {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	c := sub.pending
	sub.pending = Change{}
	return c
}

// Cancel stops the subscription; C is closed.
func (sub *Subscription) Cancel() {
	sub.store.subsMu.Lock()
	delete(sub.store.subs, sub)
	sub.store.subsMu.Unlock()
	sub.close()
}

func (sub *Subscription) close() {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	if !sub.closed {
		sub.closed = true
		close(sub.ch)
	}
}

func (sub *Subscription) deliver(c Change) {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	if sub.closed {
		return
	}
	sub.pending.merge(c)
	select {
	case sub.ch <- struct{}{}:
	default: // a signal is already waiting; the merged summary rides on it
	}
}

func (s *Store) notify(c Change) {
	s.subsMu.Lock()
	defer s.subsMu.Unlock()
	for sub := range s.subs {
		sub.deliver(c)
	}
}
