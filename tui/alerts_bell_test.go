package tui

import (
	tea "github.com/charmbracelet/bubbletea"
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store/engine"
)

// An alert that fires while the console watches rings the bell once and
// flashes the alert pane; one that fired before, or of a rule without the
// bell action, does not.
func TestAlertFiringRingsAndFlashes(t *testing.T) {
	cfg := DefaultConfig()
	cfg.NoBell = map[string]bool{"nps_below_target": true}
	m := newModel(t, testStore(t), engine.RoleViewer, cfg)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	gen := uint64(100)
	ring := func(list ...alert.Alert) bool {
		gen++
		_, cmd := m.alerts.Update(stateMsg{st: &engine.State{Alerts: list, Active: len(list), AlertsGen: gen}})
		return cmd != nil
	}
	old := alert.Alert{Key: "csat_drop", Rule: "csat_drop", State: alert.Firing, FiredAt: testNow.Add(-time.Hour)}
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
	if strings.Contains(m.View(), "\a") {
		t.Fatal("the bell rings on")
	}
}

// A session whose renderer rings the bell itself (Options.Bell, cxtop
// serve's screen) gets the call, and its frame stays free of BEL: the
// frame it shows is the one the other sessions share.
func TestBellOutsideTheFrame(t *testing.T) {
	st := testStore(t)
	eng := testEngine(t, st, engine.Options{ReadOnly: true})
	rang := 0
	m, err := New(Options{Engine: eng, Config: DefaultConfig(), Role: engine.RoleViewer, Theme: "dark", Renderer: asciiRenderer(),
		Now: func() time.Time { return testNow }, Bell: func() { rang++ }})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	before := m.View()
	if _, cmd := m.Update(bellMsg{}); cmd != nil {
		t.Fatal("a bell rung outside the frame still schedules its end")
	}
	if rang != 1 {
		t.Fatalf("the bell was rung %d times, want once", rang)
	}
	if after := m.View(); after != before || strings.Contains(after, "\a") {
		t.Fatalf("the frame changed with a bell rung outside it:\n%q", after)
	}
}
