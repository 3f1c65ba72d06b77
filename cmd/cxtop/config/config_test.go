package config

import (
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	cfg, err := Parse("c.toml", []byte(`
[taxonomy]
sources = ["email", "hotline"]
[taxonomy.sla]
urgent = "2h"
low = "7d"
`))
	if err != nil {
		t.Fatal(err)
	}
	tax := cfg.Taxonomy
	if strings.Join(tax.Sources, ",") != "email,hotline" {
		t.Errorf("sources %v: a list in the file must replace the default", tax.Sources)
	}
	if len(tax.Types) != 5 {
		t.Errorf("types %d: unnamed lists keep their defaults", len(tax.Types))
	}
	if tax.SLA["urgent"].Duration != 2*time.Hour || tax.SLA["low"].Duration != 7*24*time.Hour {
		t.Errorf("sla %v", tax.SLA)
	}
	if _, ok := tax.SLA["high"]; ok {
		t.Errorf("an sla table in the file replaces the default table")
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`[taxonomy]` + "\n" + `colour = "red"`, `config c.toml: unknown key taxonomy.colour`},
		{`[taxonmy]`, `unknown key taxonmy`},
		{`[taxonomy`, `config c.toml: line 1:`},
		{`[taxonomy]` + "\n" + `statuses = ["open"]`, `statuses must include "new"`},
		{`[taxonomy.sla]` + "\n" + `high = "soon"`, `invalid duration "soon"`},
		{`[taxonomy.sla]` + "\n" + `p9 = "1h"`, `sla names priority "p9"`},
	} {
		_, err := Parse("c.toml", []byte(tc.body))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err %v, want %q", tc.body, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error is not one line: %q", tc.body, err)
		}
	}
}

func TestSyncSection(t *testing.T) {
	s, err := Parse("c.toml", []byte("[sync]\nremote = \"http://127.0.0.1:7080\"\nsource = \"hub\"\ntoken = \"abc\"\ninterval = \"10s\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Sync.Remote != "http://127.0.0.1:7080" || s.Sync.Token != "abc" || s.Sync.Interval.Duration != 10*time.Second {
		t.Fatalf("%+v", s.Sync)
	}
}

// Every section is checked when the file is read, so each entry point gets
// the same one-line error whatever it is about to do.
func TestEverySectionChecked(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"[sync]\nremot = \"x\"", "config c.toml: unknown key sync.remot"},
		{"[sync]\nsource = \"jira\"", `sync.source "jira": use hub or zendesk`},
		{"[sync]\nremote = \"ftp://x\"", `sync.remote "ftp://x": use an http:// or https:// URL`},
		{"[sync]\ninterval = \"1ms\"", "sync.interval 1ms: use 100ms to 24h"},
		{"[console.keys]\nfly = [\"F\"]", `unknown action "fly"`},
		{"[[console.views]]\nname = \"x\"\nfilter = \"kind=vip\"", `console.views[0] "x"`},
		{"[kpi.targets]\ncsatt = { target = 0.9 }", "kpi.targets.csatt: no KPI has this id"},
		{"[[alerts.rule]]\nid = \"csat_drop\"\nthreshold = -1", `alerts rule "csat_drop"`},
		{"[serve]\nmax_sessions = 5000", "serve.max_sessions 5000: use 1 to 1000"},
		{"[serve]\ntheme = \"pink\"", `serve.theme "pink"`},
		{"[serve]\nidle_timeout = \"1ms\"", "serve.idle_timeout 1ms"},
		{"[serve]\nport = 22", "unknown key serve.port"},
		{"[console]\nwindow = \"12h\"", `console.window "12h": use 24h, 7d, 30d or 90d`},
		{"[console]\nwindow = \"week\"", `console.window "week"`},
		{"[snapshot]\nevery = \"10ms\"", "snapshot.every 10ms: use 1s to 720h"},
		{"[snapshot]\nkeep = -1", "snapshot.keep -1: use 1 to 1000"},
		{"[snapshot]\nevery = \"soon\"", `line 2: invalid duration "soon"`},
		{"[snapshot]\ncount = 3", "unknown key snapshot.count"},
	} {
		_, err := Parse("c.toml", []byte(tc.body))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err %v, want %q", tc.body, err, tc.want)
			continue
		}
		if !strings.HasPrefix(err.Error(), "config c.toml: ") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: %q is not one line naming the file", tc.body, err)
		}
	}
}

func TestResolvedSections(t *testing.T) {
	s, err := Parse("c.toml", []byte(`
[kpi.targets]
csat = { target = 0.9 }
[console.keys]
escalate = ["E"]
[[console.views]]
name = "VIP"
filter = "segment=vip"
[serve]
max_sessions = 8
[console]
window = "7d"
[snapshot]
every = "1h"
keep = 24
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range s.KPI.Defs {
		if d.ID == "csat" && d.Target != 0.9 {
			t.Errorf("csat target %v, want the configured 0.9", d.Target)
		}
	}
	if got := s.TUI().Console.Views; len(got) != 1 || got[0].Name != "VIP" {
		t.Errorf("views %+v", got)
	}
	if s.TUI().Console.StartWindow() != 7*24*time.Hour || s.Snapshot.Every.Duration != time.Hour || s.Snapshot.KeepOrDefault() != 24 {
		t.Errorf("console %+v, snapshot %+v", s.Console, s.Snapshot)
	}
	if d := Default(); d.Console.StartWindow() != 0 || d.Snapshot.KeepOrDefault() != 7 {
		t.Errorf("defaults: console %+v, snapshot %+v", d.Console, d.Snapshot)
	}
	if s.Serve.MaxSessions != 8 || len(s.Alerts.Rules) == 0 {
		t.Errorf("serve %+v, %d rules", s.Serve, len(s.Alerts.Rules))
	}
	if d := Default(); len(d.KPI.Defs) == 0 || len(d.Alerts.Rules) == 0 || len(d.Taxonomy.Statuses) == 0 {
		t.Errorf("defaults unresolved: %+v", d)
	}
}
