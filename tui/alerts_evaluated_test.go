package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/store"
)

// A viewer's alert feed says whether anybody evaluates the rules: an empty
// feed on a store nobody evaluated is "not evaluated", never "every rule
// is within its threshold".
func TestAlertFeedSaysWhenItWasEvaluated(t *testing.T) {
	st := testStore(t)
	now := time.Date(2026, 11, 1, 14, 0, 0, 0, time.UTC)
	d := fetchAlerts(st)
	if !d.evaluated.IsZero() {
		t.Fatalf("a store never evaluated reads evaluated %v", d.evaluated)
	}
	if got := emptyAlertsText(d.evaluated, now); !strings.HasPrefix(got, "alerts not evaluated") || strings.Contains(got, "within its threshold") {
		t.Errorf("never evaluated: %q", got)
	}
	if got := evaluatedText(d.evaluated, now); got != "not evaluated" {
		t.Errorf("title says %q", got)
	}
	if _, err := st.Update(func(w *store.Writer) error { return w.SetAlertsEvaluated(now.Add(-3 * time.Minute)) }); err != nil {
		t.Fatal(err)
	}
	d = fetchAlerts(st)
	if got := evaluatedText(d.evaluated, now); got != "evaluated 3m ago" {
		t.Errorf("after an evaluation the title says %q", got)
	}
	if got := emptyAlertsText(d.evaluated, now); !strings.Contains(got, "when last evaluated, 3m ago") {
		t.Errorf("after an evaluation: %q", got)
	}
}
