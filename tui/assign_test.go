package tui

import (
	"strings"
	"testing"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store/engine"
)

func TestParseAssign(t *testing.T) {
	depts := model.Departments(nil)
	for _, tc := range []struct{ in, dept, assignee, err string }{
		{"logistics/minh", "logistics", "minh", ""},
		{"customer_care", "customer_care", "", ""},
		{"/Nguyen Thi Lan", "", "Nguyen Thi Lan", ""},
		{"", "", "", "nothing typed"},
		{"billing/Tran Thi B", "", "", `department "billing" is not known: use one of`},
		// The old prompt appended typed text to the prefilled value.
		{"customer_care/Nguyen Thi Lanbilling/Tran Thi B", "", "", "one department and one assignee"},
	} {
		d, a, err := parseAssign(tc.in, depts)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: %v, want %q", tc.in, err, tc.err)
		case tc.err == "" && (err != nil || d != tc.dept || a != tc.assignee):
			t.Errorf("%q: %q %q %v", tc.in, d, a, err)
		}
	}
}

// The assign prompt shows the current value without holding it: typing
// replaces it, tab completes a department, an unknown one is refused.
func TestAssignPromptReplacesAndCompletes(t *testing.T) {
	s := startSession(t, testStore(t), engine.RoleLead, 120, 40)
	s.waitFor("Queue: 5 open")
	first := "T00000005"
	s.press("a")
	s.waitFor("assign "+first, "tab completes")
	s.typeText("billing/Tran Thi B")
	s.press("enter")
	s.waitFor(`department "billing" is not known`)
	s.press("a")
	s.waitFor("assign " + first)
	s.typeText("logi")
	s.press("tab")
	s.typeText("/minh")
	s.press("enter")
	s.waitFor(first + " assign logistics/minh: saved")
	tk, err := s.st.Ticket(first)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Department != "logistics" || tk.Assignee != "minh" {
		t.Errorf("assigned %q/%q, want logistics/minh", tk.Department, tk.Assignee)
	}
}
