package tui

import (
	"sync"
	"time"
)

// Shared lets the sessions of one server share what they draw. Sessions
// of one group read one engine with one configuration and one masker (the
// SSH viewers of `cxtop serve`), so a pane shown at the same size, theme,
// cursor and state is the same text in each of them: the first session to
// draw it for a state draws it, the others take it. Without a group every
// session draws its own.
//
// The sessions of a group read a clock pinned to the whole second at each
// message (Options.Now, truncated), so that two sessions drawing within
// one second agree on every age and countdown; what the console shows is
// in minutes, and a row turns to breached at most a second late.
type Shared struct {
	mu sync.Mutex
	// gen is the newest state generation drawn; cur holds its drawings,
	// prev those of the one before (sessions a state behind still find
	// theirs). Drawings of older states are not kept: the cache never
	// holds more than two states alive.
	gen       uint64
	cur, prev map[any]any
}

// maxSharedPerGen bounds the drawings kept per state: every size, theme
// and cursor position in use makes its own.
const maxSharedPerGen = 2048

// NewShared makes a group of sessions that share their drawings.
func NewShared() *Shared { return &Shared{cur: map[any]any{}, prev: map[any]any{}} }

// get returns the drawing of key for state generation gen, drawing it on
// the first request; requests that come while it is being drawn wait for
// it rather than draw it again (a new state reaches every session at
// once). Requests for states older than the two newest are drawn and not
// kept.
func (s *Shared) get(gen uint64, key any, draw func() any) any {
	k := sharedKey{gen, key}
	s.mu.Lock()
	d, ok := s.cur[k].(*drawing)
	if !ok {
		d, ok = s.prev[k].(*drawing)
	}
	if ok {
		s.mu.Unlock()
		<-d.done
		if !d.ok { // its drawer panicked
			return draw()
		}
		return d.v
	}
	d = &drawing{done: make(chan struct{})}
	if !s.keep(gen, k, d) {
		s.mu.Unlock()
		return draw()
	}
	s.mu.Unlock()
	defer close(d.done)
	d.v = draw()
	d.ok = true
	return d.v
}

// drawing is one entry of the cache: done closes once v is drawn (ok) or
// its drawer gave up.
type drawing struct {
	done chan struct{}
	v    any
	ok   bool
}

// keep files d under k, moving the generations on when gen is newer; it
// reports false for a state older than the two kept or a full generation.
// s.mu is held.
func (s *Shared) keep(gen uint64, k sharedKey, d *drawing) bool {
	switch {
	case gen > s.gen:
		if gen == s.gen+1 {
			s.prev = s.cur
		} else {
			s.prev = map[any]any{}
		}
		s.cur, s.gen = map[any]any{}, gen
	case gen == s.gen && len(s.cur) < maxSharedPerGen:
	case gen+1 == s.gen && len(s.prev) < maxSharedPerGen:
		s.prev[k] = d
		return true
	default:
		return false
	}
	s.cur[k] = d
	return true
}

type sharedKey struct {
	gen uint64
	key any
}

// shared returns what draw makes for key at state generation gen: drawn
// once for every session of the group, or by this session alone when it
// belongs to none. key must hold everything the drawing depends on that
// the state generation does not (size, cursor, focus, the pinned clock,
// theme and colour profile).
func shared[T any](e *env, gen uint64, key any, draw func() T) T {
	if e.share == nil {
		return draw()
	}
	return e.share.get(gen, key, func() any { return draw() }).(T)
}

// look is what every drawing depends on besides its pane's own inputs:
// the theme, the colour profile and the pinned clock.
type look struct {
	theme, profile string
	at             int64 // the pinned clock, in seconds
}

func (e *env) look() look {
	return look{theme: e.th.Name, profile: e.profile, at: e.now().Unix()}
}

// pin sets the clock of a session in a group to the whole second of now:
// every drawing of one message reads the same time.
func (e *env) pin(now time.Time) {
	e.pinned = now.Truncate(time.Second)
}
