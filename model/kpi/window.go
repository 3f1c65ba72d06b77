package kpi

import (
	"fmt"
	"time"

	"github.com/cxtop/cxtop/model"
)

// MaxWindow is the longest window a report covers.
const MaxWindow = 365 * 24 * time.Hour

// Window is the span a KPI is computed over: the whole hours [At − Length,
// At), At truncated to the hour. A record counts in the window when its
// time (the time the KPI attributes it to, e.g. resolved_at for handling
// time) falls in that span.
type Window struct {
	At     time.Time
	Length time.Duration
}

// NewWindow truncates at to the hour and checks the length: whole hours,
// from 1h to 365d.
func NewWindow(at time.Time, length time.Duration) (Window, error) {
	if length < time.Hour || length > MaxWindow || length%time.Hour != 0 {
		return Window{}, fmt.Errorf("window %s: use whole hours or days from 1h to 365d (like 24h, 7d, 30d)", length)
	}
	return Window{At: at.UTC().Truncate(time.Hour), Length: length}, nil
}

// Hours returns the rollup hours [from, to) the window covers.
func (w Window) Hours() (from, to uint32) {
	to = model.HourOf(w.At)
	n := uint32(w.Length / time.Hour)
	if n > to {
		return 0, to
	}
	return to - n, to
}

// Previous is the window of the same length that ends where w starts: the
// baseline.
func (w Window) Previous() Window {
	return Window{At: w.At.Add(-w.Length), Length: w.Length}
}
