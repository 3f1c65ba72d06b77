package tui

import (
	"fmt"
	"strings"

	"github.com/cxtop/cxtop/store"
)

// filterKeys are the fields a queue filter can name, as typed after f.
var filterKeys = []string{"status", "type", "subtype", "source", "segment", "dept", "priority", "assignee", "escalated", "breached"}

// ParseFilter reads a queue filter such as "type=complaint source=email":
// space-separated field=value pairs, each field at most once. The empty
// string is no filter. Errors name the part that is wrong and what would
// be right.
func ParseFilter(text string) (store.TicketFilter, error) {
	var f store.TicketFilter
	seen := map[string]bool{}
	for _, part := range strings.Fields(text) {
		k, v, ok := strings.Cut(part, "=")
		if !ok || v == "" {
			return store.TicketFilter{}, fmt.Errorf("filter %q: write field=value, with field one of %s", part, strings.Join(filterKeys, ", "))
		}
		if seen[k] {
			return store.TicketFilter{}, fmt.Errorf("filter names %s twice: keep one", k)
		}
		seen[k] = true
		switch k {
		case "status":
			f.Status = v
		case "type":
			f.Type = v
		case "subtype":
			f.SubType = v
		case "source":
			f.Source = v
		case "segment":
			f.Segment = v
		case "dept", "department":
			f.Department = v
		case "priority":
			f.Priority = v
		case "assignee":
			f.Assignee = v
		case "escalated", "breached":
			t, err := ParseYesNo(k, v)
			if err != nil {
				return store.TicketFilter{}, err
			}
			if k == "escalated" {
				f.Escalated = t
			} else {
				f.Breached = t
			}
		default:
			return store.TicketFilter{}, fmt.Errorf("filter field %q is not known: use %s", k, strings.Join(filterKeys, ", "))
		}
	}
	return f, nil
}

// ParseYesNo reads a yes/no filter value (also `tickets --escalated`).
func ParseYesNo(field, v string) (store.Tri, error) {
	switch strings.ToLower(v) {
	case "yes", "y", "true", "1":
		return store.Yes, nil
	case "no", "n", "false", "0":
		return store.No, nil
	}
	return store.Any, fmt.Errorf("filter %s=%s: use %s=yes or %s=no", field, v, field, field)
}
