package model

import (
	"fmt"
	"time"
)

// Closed-loop metrics: a detractor's answer opens a follow-up ticket (the
// automation names it after the answer); the loop is contacted when an
// agent first answers it and closed when it is done. Counted at the
// follow-up's creation time, the answer's time.
const (
	MLoopOpened      = "loop.opened"        // follow-up tickets
	MLoopContacted24 = "loop.contacted_24h" // ... whose customer was contacted within 24 h
	MLoopClosed10d   = "loop.closed_10d"    // ... that were done within 10 days
)

// Closed-loop limits.
const (
	LoopContactWithin = 24 * time.Hour
	LoopCloseWithin   = 10 * 24 * time.Hour
	// LoopHoursCap bounds the suffixes of MLoopCloseHours.
	LoopHoursCap = 24 * 90
)

// LoopHoursSuffix is the MLoopCloseHours suffix of a loop closed after d.
func LoopHoursSuffix(d time.Duration) string {
	return fmt.Sprintf("%05d", min(max(int(d/time.Hour), 0), LoopHoursCap))
}
