package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/cxtop/cxtop/model/alert"
)

// An alert that fires while the console watches rings the bell once and
// flashes the alert pane; one that fired before, or of a rule without the
// bell action, does not.
func TestAlertFiringRingsAndFlashes(t *testing.T) {
	rules := alert.DefaultRules()
	for i := range rules {
		rules[i].Actions = []string{alert.ActionBell}
		if rules[i].ID == "nps_below_target" {
			rules[i].Actions = []string{alert.ActionHook}
		}
	}
	m, err := New(Options{Config: DefaultConfig(), Role: RoleViewer, Theme: "dark", Renderer: asciiRenderer(), Rules: rules,
		Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	old := alert.Alert{Key: "csat_drop", Rule: "csat_drop", State: alert.Firing, FiredAt: testNow.Add(-time.Hour)}
	ring := func(list ...alert.Alert) bool {
		_, cmd := m.alerts.Update(alertsData{alerts: list, active: len(list)})
		return cmd != nil
	}
	if ring(old) {
		t.Fatal("an alert that fired before the session rang")
	}
	fresh := alert.Alert{Key: "sla_compliance_low", Rule: "sla_compliance_low", State: alert.Firing, FiredAt: testNow.Add(time.Second)}
	if !ring(old, fresh) {
		t.Fatal("a new firing did not ring")
	}
	if !strings.Contains(m.alerts.View(), "ALERT FIRED") {
		t.Fatalf("no flash:\n%s", m.alerts.View())
	}
	if ring(old, fresh) {
		t.Fatal("the same firing rang twice")
	}
	quiet := alert.Alert{Key: "nps_below_target", Rule: "nps_below_target", State: alert.Firing, FiredAt: testNow.Add(2 * time.Second)}
	if ring(old, fresh, quiet) {
		t.Fatal("a rule without the bell action rang")
	}
	m.Update(bellMsg{})
	if !strings.HasPrefix(m.View(), "\a") {
		t.Fatal("the frame after a firing has no BEL")
	}
	m.Update(bellDoneMsg{})
	m.Update(flashEndMsg{})
	if strings.Contains(m.View(), "\a") {
		t.Fatal("the bell rings on")
	}
}
