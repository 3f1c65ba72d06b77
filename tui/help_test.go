package tui

import (
	"slices"
	"testing"

	"github.com/charmbracelet/bubbles/key"
)

// Help lists each key under the pane it acts in: r (trend range) under
// trends, x (acknowledge) under alerts, never r under alerts.
func TestHelpListsKeysUnderTheirPane(t *testing.T) {
	k := DefaultKeys()
	panes := []helpPane{
		{"queue", append([]key.Binding{k.Up, k.Down, k.Open}, k.triage()...)},
		{"KPI gauges", []key.Binding{k.Up, k.Down, k.Open}},
		{"trends", []key.Binding{k.Up, k.Down, k.Range}},
		{"alerts", []key.Binding{k.Up, k.Down, k.Open, k.Ack}},
	}
	for _, focused := range []string{"queue", "trends", "alerts"} {
		sections := helpSections(&k, slices.Clone(panes), focused)
		where := map[string][]string{}
		for _, s := range sections {
			for _, b := range s.keys {
				where[b.Help().Key] = append(where[b.Help().Key], s.title)
			}
		}
		if got := where["r"]; len(got) != 1 || got[0] != "in the trends pane"+suffix(focused == "trends") {
			t.Errorf("focus %s: r is listed under %v", focused, got)
		}
		if got := where["x"]; len(got) != 1 || got[0] != "in the alerts pane"+suffix(focused == "alerts") {
			t.Errorf("focus %s: x is listed under %v", focused, got)
		}
		if sections[0].title != "in the "+focused+" pane (focused)" {
			t.Errorf("focus %s: the first section is %q", focused, sections[0].title)
		}
	}
}

func suffix(focused bool) string {
	if focused {
		return " (focused)"
	}
	return ""
}
