package tui

import (
	"slices"
	"strings"
	"testing"

	"github.com/cxtop/cxtop/store"
)

// priority=, assignee=, escalated= and breached= filter the queue on what
// only the ticket holds.
func TestFilterOnTicketFields(t *testing.T) {
	st := testStore(t)
	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{"priority=high", []string{"T00000001", "T00000002", "T00000003", "T00000004", "T00000005"}},
		{"priority=low", nil},
		{"assignee=lan", nil},
		{"escalated=no", []string{"T00000001", "T00000002", "T00000003", "T00000004", "T00000005"}},
		{"escalated=yes", nil},
		{"breached=yes", []string{"T00000004", "T00000005"}},
		{"breached=no type=complaint", []string{"T00000001", "T00000002", "T00000003"}},
	} {
		f, err := ParseFilter(tc.filter)
		if err != nil {
			t.Fatalf("%s: %v", tc.filter, err)
		}
		f.Now = testNow
		list, err := st.Tickets(store.TicketQuery{Filter: f, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, tk := range list {
			got = append(got, tk.ID)
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.filter, got, tc.want)
		}
	}
	// An offset skips matches, not scanned rows.
	f, _ := ParseFilter("breached=yes")
	f.Now = testNow
	if list, _ := st.Tickets(store.TicketQuery{Filter: f, Offset: 1, Limit: 50}); len(list) != 1 {
		t.Errorf("offset 1 of two breached tickets: %d", len(list))
	}
	for _, bad := range []struct{ text, want string }{
		{"escalated=maybe", "filter escalated=maybe: use escalated=yes or escalated=no"},
		{"breached=", "write field=value"},
		{"prio=high", "priority, assignee, escalated, breached"},
	} {
		if _, err := ParseFilter(bad.text); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: %v, want %q", bad.text, err, bad.want)
		}
	}
}
