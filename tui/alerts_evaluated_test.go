package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
)

// A viewer's alert feed says whether anybody evaluates the rules: an empty
// feed on a store nobody evaluated is "not evaluated", never "every rule
// is within its threshold".
func TestAlertFeedSaysWhenItWasEvaluated(t *testing.T) {
	st := testStore(t)
	now := time.Date(2026, 11, 1, 14, 0, 0, 0, time.UTC)
	// A read-only engine runs no rules: what it says is what is stored.
	evaluated := func() time.Time {
		eng := engine.New(st, engine.Options{ReadOnly: true, Now: func() time.Time { return now }})
		eng.Start(context.Background())
		defer eng.Close()
		return eng.State().Evaluated
	}
	if at := evaluated(); !at.IsZero() {
		t.Fatalf("a store never evaluated reads evaluated %v", at)
	}
	if got := emptyAlertsText(evaluated(), now); !strings.HasPrefix(got, "alerts not evaluated") || strings.Contains(got, "within its threshold") {
		t.Errorf("never evaluated: %q", got)
	}
	if got := evaluatedText(evaluated(), now); got != "not evaluated" {
		t.Errorf("title says %q", got)
	}
	if _, err := st.Update(func(w *store.Writer) error { return w.SetAlertsEvaluated(now.Add(-3 * time.Minute)) }); err != nil {
		t.Fatal(err)
	}
	if got := evaluatedText(evaluated(), now); got != "evaluated 3m ago" {
		t.Errorf("after an evaluation the title says %q", got)
	}
	if got := emptyAlertsText(evaluated(), now); !strings.Contains(got, "when last evaluated, 3m ago") {
		t.Errorf("after an evaluation: %q", got)
	}
}
