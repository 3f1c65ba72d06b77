package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cxtop/cxtop/model/alert"
)

// TestAlertsRunsAutomationsOnce: on a simulated store, `cxtop alerts`
// runs the automations and the rules; a second run changes no record
// (the automations ran once) and adds no alert (dedupe). A config that
// disables a rule is obeyed.
func TestAlertsRunsAutomationsOnce(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	list := func(args ...string) []alert.Alert {
		t.Helper()
		r := runIn(t, append([]string{"alerts", "--db", db, "--at", simEnd, "--all", "--json"}, args...)...)
		if r.code != 0 {
			t.Fatalf("alerts: %+v", r)
		}
		var out []alert.Alert
		if err := json.Unmarshal([]byte(r.out), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	first := list()
	rules := map[string]int{}
	for _, a := range first {
		rules[a.Rule]++
	}
	// Ten simulated days end with chatbot conversations rated below 3
	// stars, and some detractors wait more than a day for their call.
	if rules["bot_low_rating"] == 0 || rules["detractor_no_followup"] == 0 {
		t.Fatalf("alerts by rule %v", rules)
	}
	exported := runIn(t, "export", "--db", db).out
	if !strings.Contains(exported, `"id":"esc-`) || !strings.Contains(exported, `"field":"survey_request"`) {
		t.Fatal("the automations left no trace in the export")
	}
	if again := list(); len(again) != len(first) {
		t.Fatalf("second run: %d alerts, want %d", len(again), len(first))
	}
	if runIn(t, "export", "--db", db).out != exported {
		t.Fatal("a second run changed records: an automation ran twice")
	}
	cfg := filepath.Join(dir, "c.toml")
	os.WriteFile(cfg, []byte("[[alerts.rule]]\nid = \"ticket_open_10d\"\nenabled = false\n"), 0o600)
	os.Remove(db)
	db = simulated(t, dir)
	for _, a := range list("--config", cfg) {
		if a.Rule == "ticket_open_10d" {
			t.Fatalf("a disabled rule fired: %+v", a)
		}
	}
}

func TestAlertsBadConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c.toml")
	for _, tc := range []struct{ body, want string }{
		{"[[alerts.rule]]\nid = \"csat_drop\"\nop = \"bigger\"\n", `config ` + cfg + `: alerts rule "csat_drop": op "bigger" is not known: use below, above or drop`},
		{"[[alerts.rule]]\nid = \"csat_drop\"\nthreshhold = 1\n", "unknown key alerts.rule.threshhold"},
		{"[[alerts.route]]\ntype = \"complaint\"\n", "alerts route 1: department is required"},
	} {
		os.WriteFile(cfg, []byte(tc.body), 0o600)
		for _, args := range [][]string{{"alerts"}, {"sync", "--remote", "http://127.0.0.1:1"}, {"hub", "--listen", "127.0.0.1:0"}, {"demo"}} {
			wantOneLineError(t, runIn(t, append(args, "--config", cfg, "--db", filepath.Join(dir, "cx.db"))...), 1, tc.want)
		}
	}
}
