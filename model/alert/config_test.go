package alert

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/cxtop/cxtop/model"
)

// settings decodes an [alerts] section the way the config package does
// (unknown keys refused) and resolves it over the default taxonomy.
func settings(t *testing.T, body string) (Settings, error) {
	t.Helper()
	var f struct {
		Alerts Config `toml:"alerts"`
	}
	md, err := toml.Decode(body, &f)
	if err != nil {
		return Settings{}, err
	}
	if u := md.Undecoded(); len(u) > 0 {
		return Settings{}, fmt.Errorf("unknown key %s", u[0])
	}
	return FromConfig(model.DefaultTaxonomy(), f.Alerts)
}

func TestConfigDefaults(t *testing.T) {
	s, err := settings(t, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Rules) != len(DefaultRules()) || len(s.Rules) != 7 {
		t.Fatalf("%d rules, want the 7 defaults", len(s.Rules))
	}
	a := s.Automations
	if a.Horizon != DefaultHorizon || a.BotBelow != 3 || a.FollowUpWithin != 24*time.Hour {
		t.Fatalf("automations %+v", a)
	}
}

func TestConfigOverrides(t *testing.T) {
	s, err := settings(t, `
[alerts]
horizon = "24h"

[[alerts.rule]]
id = "csat_drop"
threshold = 0.08

[[alerts.rule]]
id = "nps_below_target"
enabled = false

[[alerts.rule]]
id = "detractor_no_followup"
threshold = 12

[[alerts.rule]]
id = "ces_low"
kpi = "ces"
op = "below"
threshold = 4.5
window = "7d"
severity = "critical"

[[alerts.route]]
source = "chatbot"
department = "digital"
`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Rule{}
	for _, r := range s.Rules {
		got[r.ID] = r
	}
	if r := got["csat_drop"]; r.Threshold != 0.08 || r.Window != 24*time.Hour || r.Hysteresis != 0.01 || r.Severity != Critical {
		t.Errorf("csat_drop %+v: only the threshold should change", r)
	}
	if _, ok := got["nps_below_target"]; ok {
		t.Error("a disabled rule is still there")
	}
	if r := got["ces_low"]; r.KPI != "ces" || r.Op != Below || r.Window != 7*24*time.Hour || r.Severity != Critical {
		t.Errorf("new rule %+v", r)
	}
	if s.Automations.FollowUpWithin != 12*time.Hour || s.Automations.Horizon != 24*time.Hour {
		t.Errorf("automations %+v: the follow-up is due on the rule's threshold", s.Automations)
	}
	tk := &model.Ticket{Type: "complaint", SubType: "late_delivery", Source: "chatbot"}
	if d := model.RouteTicket(s.Automations.Routes, tk); d != "digital" {
		t.Errorf("a configured route goes before the defaults: %s", d)
	}
}

// TestConfigErrors: each bad value is one line naming the rule and the key.
func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"[[alerts.rule]]\nid = \"csat_drop\"\ntreshold = 1", "unknown key alerts.rule.treshold"},
		{"[alerts]\ncolour = 1", "unknown key alerts.colour"},
		{"[[alerts.rule]]\nthreshold = 1", "alerts rule 1: id is required"},
		{"[[alerts.rule]]\nid = \"csat_drop\"\nop = \"bigger\"", `alerts rule "csat_drop": op "bigger" is not known`},
		{"[[alerts.rule]]\nid = \"csat_drop\"\nthreshold = 5", `alerts rule "csat_drop": threshold 5: a drop of a share is in percentage points`},
		{"[[alerts.rule]]\nid = \"csat_drop\"\nseverity = \"meh\"", `alerts rule "csat_drop": severity "meh"`},
		{"[[alerts.rule]]\nid = \"csat_drop\"\nhysteresis = -1", `alerts rule "csat_drop": hysteresis -1`},
		{"[[alerts.rule]]\nid = \"csat_drop\"\nwindow = \"90m\"", `alerts rule "csat_drop": window 1h30m0s`},
		{"[[alerts.rule]]\nid = \"csat_drop\"\nwindow = \"soon\"", `invalid duration "soon"`},
		{"[[alerts.rule]]\nid = \"x\"\nkpi = \"happiness\"\nop = \"below\"\nthreshold = 1", `alerts rule "x": kpi "happiness" is not known`},
		{"[[alerts.rule]]\nid = \"x\"\nkpi = \"csat\"", `alerts rule "x": a new rule needs kpi, op and threshold`},
		{"[[alerts.rule]]\nid = \"ticket_open_10d\"\nop = \"drop\"", `alerts rule "ticket_open_10d": op drop needs a KPI with a baseline`},
		{"[[alerts.rule]]\nid = \"a/b\"\nkpi = \"csat\"\nop = \"below\"\nthreshold = 1", `alerts rule "a/b": id`},
		{"[[alerts.rule]]\nid = \"csat_drop\"\n[[alerts.rule]]\nid = \"csat_drop\"", `alerts rule "csat_drop" is listed twice`},
		{"[[alerts.route]]\nsource = \"email\"", "alerts route 1: department is required"},
		{"[[alerts.route]]\nsource = \"pigeon\"\ndepartment = \"x\"", `alerts route 1: source "pigeon" is not in the taxonomy`},
		{"[[alerts.route]]\ntype = \"complaint\"\nsubtype = \"nope\"\ndepartment = \"x\"", `alerts route 1: "nope" is not a sub-type of complaint`},
		{"[alerts]\nhorizon = \"1m\"", "alerts horizon 1m0s: use 1h to 90d"},
	} {
		_, err := settings(t, tc.body)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err %v, want %q", tc.body, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error is not one line: %q", tc.body, err)
		}
	}
}

// TestDefaultRoutesCoverSubTypes: every default sub-type has a route of
// its own, so no default ticket falls through to the fallback.
func TestDefaultRoutesCoverSubTypes(t *testing.T) {
	tax := model.DefaultTaxonomy()
	n := 0
	for _, tt := range tax.Types {
		for _, sub := range tt.SubTypes {
			found := false
			for _, r := range model.DefaultRoutes() {
				found = found || (r.Type == tt.Name && r.SubType == sub && r.Department != "")
			}
			if !found {
				t.Errorf("%s/%s has no default route", tt.Name, sub)
			}
			n++
		}
	}
	if n != 17 {
		t.Errorf("%d default sub-types, want 17", n)
	}
	if d := model.RouteTicket(nil, &model.Ticket{Type: "technical_support", SubType: "app_bug"}); d != "it_support" {
		t.Errorf("app bug → %s", d)
	}
	if d := model.RouteTicket(nil, &model.Ticket{Type: "made_up"}); d != model.FallbackDepartment {
		t.Errorf("unknown type → %s", d)
	}
}
