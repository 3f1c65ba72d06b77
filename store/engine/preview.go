package engine

import (
	"sort"
	"time"

	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
)

// Preview is a dry run of every rule as of at: the stored alerts as the
// rules would leave them (fired, resolved, changed), without writing, so
// evaluating at another time never moves the stored lifecycle, which only
// moves forward with the engine's clock. The automations do not run (they
// write); a read-only store will do. The order is Store.Alerts's: the
// active alerts newest fired first, or with all every alert newest first.
func Preview(st *store.Store, rules []alert.Rule, at time.Time, all bool) ([]alert.Alert, error) {
	changes, err := decide(st, rules, nil, at)
	if err != nil {
		return nil, err
	}
	stored, err := st.Alerts(true)
	if err != nil {
		return nil, err
	}
	byKey := make(map[string]int, len(stored))
	for i, a := range stored {
		byKey[a.Key] = i
	}
	for _, c := range changes {
		if i, ok := byKey[c.next.Key]; ok {
			stored[i] = c.next
		} else {
			byKey[c.next.Key] = len(stored)
			stored = append(stored, c.next)
		}
	}
	out := stored[:0]
	for _, a := range stored {
		if all || a.Active() {
			out = append(out, a)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].FiredAt.Equal(out[j].FiredAt) {
			return out[i].FiredAt.After(out[j].FiredAt)
		}
		return out[i].Key < out[j].Key
	})
	return out, nil
}
