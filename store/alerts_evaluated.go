package store

import (
	"time"
)

// metaAlertsEvaluated holds when the alert rules last ran on this store
// (RFC 3339), so a console that does not run them (a viewer, a snapshot)
// can say how current its alert feed is, or that nobody evaluates it.
const metaAlertsEvaluated = "alerts/evaluated"

// SetAlertsEvaluated records when the rules ran; a console reloads its
// alert feed after it, as after a written alert.
func (w *Writer) SetAlertsEvaluated(at time.Time) error {
	w.change.Alerts = true
	return w.PutMeta(metaAlertsEvaluated, []byte(at.UTC().Format(time.RFC3339)))
}

// AlertsEvaluated is when the rules last ran on this store; ok is false
// when they never did (or the stored time cannot be read).
func (s *Store) AlertsEvaluated() (at time.Time, ok bool, err error) {
	raw, err := s.Meta(metaAlertsEvaluated)
	if err != nil || raw == nil {
		return time.Time{}, false, err
	}
	at, perr := time.Parse(time.RFC3339, string(raw))
	return at, perr == nil, nil
}

// AlertsEvaluatedIn is AlertsEvaluated inside a write transaction.
func (w *Writer) AlertsEvaluatedIn() (time.Time, bool) {
	raw := w.Meta(metaAlertsEvaluated)
	if raw == nil {
		return time.Time{}, false
	}
	at, err := time.Parse(time.RFC3339, string(raw))
	return at, err == nil
}
