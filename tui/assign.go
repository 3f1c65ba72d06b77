package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cxtop/cxtop/model"
)

// maxAssignee bounds an assignee's name as typed.
const maxAssignee = 64

// parseAssign reads "department[/assignee]" as typed at the assign prompt:
// the department must be one of depts (an empty one keeps the ticket's,
// "/lan" assigns a person only); an assignee is a name without "/".
// Errors say what to type instead.
func parseAssign(value string, depts []string) (dept, assignee string, err error) {
	if value == "" {
		return "", "", fmt.Errorf("assign: nothing typed, nothing changed (type department[/assignee], tab completes)")
	}
	dept, assignee, _ = strings.Cut(value, "/")
	dept, assignee = strings.TrimSpace(dept), strings.TrimSpace(assignee)
	switch {
	case dept == "" && assignee == "":
		return "", "", fmt.Errorf("assign: type a department, an assignee or both, like customer_care/lan")
	case dept != "" && !slices.Contains(depts, dept):
		return "", "", fmt.Errorf("assign: department %q is not known: use one of %s", dept, strings.Join(depts, ", "))
	case strings.Contains(assignee, "/"):
		return "", "", fmt.Errorf("assign: %q: one department and one assignee, like customer_care/lan", value)
	case len(assignee) > maxAssignee || model.Sanitize(assignee) != assignee:
		return "", "", fmt.Errorf("assign: assignee %q: use at most %d printable characters", assignee, maxAssignee)
	}
	return dept, assignee, nil
}

// assignSuggestions are what tab completes at the assign prompt: every
// department, and department/assignee for the assignees seen on the
// loaded tickets.
func assignSuggestions(depts []string, tickets []*model.Ticket) []string {
	out := slices.Clone(depts)
	seen := map[string]bool{}
	for _, t := range tickets {
		if t.Department == "" || t.Assignee == "" {
			continue
		}
		s := t.Department + "/" + t.Assignee
		if !seen[s] && slices.Contains(depts, t.Department) {
			seen[s] = true
			out = append(out, s)
		}
	}
	slices.Sort(out[len(depts):])
	return out
}
