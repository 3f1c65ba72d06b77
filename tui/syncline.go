package tui

import (
	"fmt"
	"time"

	"github.com/cxtop/cxtop/store/engine"
)

// syncLine words the sync part of a state for the status bar. A live sync
// counts the records pulled until it first catches up (a first sync of a
// large history takes a while, and an empty queue should not look final),
// then gives the lag and what is pending; without one, the line says when
// a sync last ran on this store.
func syncLine(s engine.Sync, now time.Time) string {
	var line string
	st := s.Status
	switch {
	case s.Live && st.CaughtUpAt.IsZero():
		line = fmt.Sprintf("first sync: %d records so far", st.Records)
	case s.Live:
		lag := st.Lag(now)
		lagText := ShortDuration(lag)
		if lag < time.Minute {
			lagText = fmt.Sprintf("%ds", int(lag/time.Second))
		}
		line = fmt.Sprintf("sync lag %s, %d pending", lagText, st.Pending)
		if st.Quarantined > 0 {
			// Records the sync could not map: `cxtop sync status` lists them.
			line += fmt.Sprintf(", %d quarantined", st.Quarantined)
		}
		if st.LastError != "" {
			line += ", retrying"
		}
	case st.LastSuccess.IsZero():
		line = "not synced"
	default:
		line = "synced " + ShortDuration(now.Sub(st.LastSuccess)) + " ago"
	}
	if s.Progress != "" {
		line = s.Progress + ", " + line
	}
	return line
}
