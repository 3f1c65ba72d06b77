package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/cmd/cxtop/config"
	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/control"
)

// nps-revenue writes money in the configured currency (VND: no decimals,
// thousands separated), reads 90 days by default and marks small cells.
func TestNPSRevenueMoneyAndWindow(t *testing.T) {
	db := simulated(t, t.TempDir())
	js := runIn(t, "nps-revenue", "--db", db, "--at", simEnd, "--json")
	var doc struct {
		WindowHours int    `json:"window_hours"`
		Currency    string `json:"currency"`
		Rows        []struct {
			Segment, Category string
			Revenue           int64 `json:"revenue"`
			PrevCustomers     int64 `json:"previous_customers"`
			FewPrevious       bool  `json:"few_previous_customers"`
		} `json:"rows"`
	}
	if err := json.Unmarshal([]byte(js.out), &doc); err != nil || js.code != 0 {
		t.Fatalf("%v: %+v", err, js)
	}
	if doc.WindowHours != 90*24 || doc.Currency != "VND" {
		t.Errorf("default window %dh in %s, want 2160h in VND", doc.WindowHours, doc.Currency)
	}
	table := runIn(t, "nps-revenue", "--db", db, "--at", simEnd)
	found := false
	for _, r := range doc.Rows {
		if r.Revenue >= 1000 {
			want := model.DefaultCurrency.FormatFloat(float64(r.Revenue))
			if !strings.Contains(want, ",") || !strings.Contains(table.out, " "+want+" ") {
				t.Errorf("revenue %d is not written %q in the table:\n%s", r.Revenue, want, table.out)
			}
			found = true
		}
	}
	if !found {
		t.Fatal("no row with revenue to check")
	}
	// A 7-day window on a 10-day store: few customers in the cells before.
	short := runIn(t, "nps-revenue", "--db", db, "--at", simEnd, "--window", "2d", "--json")
	if err := json.Unmarshal([]byte(short.out), &doc); err != nil {
		t.Fatal(err)
	}
	few := false
	for _, r := range doc.Rows {
		few = few || r.FewPrevious
		if r.FewPrevious != (r.PrevCustomers > 0 && r.PrevCustomers < 10) {
			t.Errorf("%s/%s: %d previous customers marked few=%v", r.Segment, r.Category, r.PrevCustomers, r.FewPrevious)
		}
	}
	if tab := runIn(t, "nps-revenue", "--db", db, "--at", simEnd, "--window", "2d"); few != strings.Contains(tab.out, "* fewer than 10 customers") {
		t.Errorf("small cells marked %v, the table's note says otherwise:\n%s", few, tab.out)
	}
}

// --at takes a date as well as an RFC 3339 time, in every command; tickets'
// old --now still works but is no longer listed.
func TestAtTakesADate(t *testing.T) {
	db := simulated(t, t.TempDir())
	for _, args := range [][]string{{"kpi", "--json"}, {"nps-revenue"}, {"ab"}, {"alerts", "--all"}, {"tickets", "--limit", "5"}} {
		date := runIn(t, append(args, "--db", db, "--at", "2026-11-01")...)
		full := runIn(t, append(args, "--db", db, "--at", simEnd)...)
		if date.code != 0 || date.out != full.out {
			t.Errorf("%v: --at 2026-11-01 gives %+v, --at %s gives %q", args, date, simEnd, full.out)
		}
	}
	old := runIn(t, "tickets", "--db", db, "--limit", "5", "--now", simEnd)
	at := runIn(t, "tickets", "--db", db, "--limit", "5", "--at", simEnd)
	if old.code != 0 || old.out != at.out {
		t.Errorf("tickets --now %+v differs from --at %q", old, at.out)
	}
	if help := runIn(t, "tickets", "--help"); !strings.Contains(help.out, "--at") || strings.Contains(help.out, "--now") {
		t.Errorf("tickets --help lists --now or misses --at:\n%s", help.out)
	}
}

// kpi shows each KPI's window and labels each delta with its unit; ROI
// without a cost says what to configure; --since go-live reads from the
// configured go-live against the programme's baselines.
func TestKPIWindowsUnitsAndGoLive(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	r := runIn(t, "kpi", "--db", db, "--at", simEnd)
	for _, want := range []string{"Digital adoption", "30d", "Programme ROI", "no cost", "Programme ROI: no cost configured: set kpi.programme_cost", " pp "} {
		if !strings.Contains(r.out, want) {
			t.Errorf("kpi lacks %q:\n%s", want, r.out)
		}
	}
	var doc struct {
		KPIs []struct {
			ID          string `json:"id"`
			WindowHours int    `json:"window_hours"`
			DeltaUnit   string `json:"delta_unit"`
		} `json:"kpis"`
	}
	js := runIn(t, "kpi", "--db", db, "--at", simEnd, "--json")
	if err := json.Unmarshal([]byte(js.out), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range doc.KPIs {
		switch k.ID {
		case "digital_adoption", "digital_revenue_growth":
			if k.WindowHours != 720 {
				t.Errorf("%s over %dh, want its 30-day default", k.ID, k.WindowHours)
			}
		case "csat":
			if k.DeltaUnit != "pp" {
				t.Errorf("csat delta unit %q, want pp", k.DeltaUnit)
			}
		}
	}
	wantOneLineError(t, runIn(t, "kpi", "--db", db, "--since", "go-live"), 1, "--since go-live: no go-live date: set go_live in the [programme] section")
	cfg := filepath.Join(dir, "programme.toml")
	os.WriteFile(cfg, []byte("[kpi]\nprogramme_cost = 5000000000\n\n[programme]\ngo_live = 2026-10-25\n\n[programme.baselines]\norder_processing_h = 120\n"), 0o600)
	g := runIn(t, "kpi", "--db", db, "--config", cfg, "--at", simEnd, "--since", "go-live")
	if g.code != 0 || !strings.Contains(g.out, "since go-live 2026-10-25") || !strings.Contains(g.out, "SINCE GO-LIVE") || !strings.Contains(g.out, "120.0h") {
		t.Errorf("kpi --since go-live: %+v", g)
	}
	if strings.Contains(g.out, "no cost") {
		t.Errorf("ROI with a cost still says no cost:\n%s", g.out)
	}
}

// cxtop completion writes cobra's scripts, and flag values complete.
func TestShellCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		if r := runIn(t, "completion", shell); r.code != 0 || !strings.Contains(r.out, "cxtop") || len(r.out) < 1000 {
			t.Errorf("completion %s: %+v", shell, r.code)
		}
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"kpi", "--window", ""}, []string{"24h", "7d", "30d", "90d", "365d"}},
		{[]string{"kpi", "--by", ""}, []string{"segment", "source", "touchpoint"}},
		{[]string{"kpi", "--since", ""}, []string{"go-live"}},
		{[]string{"sync", "--source", ""}, []string{"hub", "zendesk"}},
		{[]string{"tickets", "--source", "z"}, []string{"zalo_oa"}},
		{[]string{"tickets", "--status", ""}, []string{"new", "in_progress", "done"}},
	} {
		r := runIn(t, append([]string{"__complete"}, tc.args...)...)
		var got []string
		for _, l := range strings.Split(r.out, "\n") {
			if l != "" && !strings.HasPrefix(l, ":") {
				got = append(got, l)
			}
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%v completes %v, want %v", tc.args, got, tc.want)
		}
	}
}

// The demo configures a programme when the config has none, so ROI and
// "since go-live" show figures rather than "no cost".
func TestDemoConfiguresTheProgramme(t *testing.T) {
	db := simulated(t, t.TempDir())
	end, _ := time.Parse(time.RFC3339, simEnd)
	set := demoSettings(config.Default(), end, 10)
	if !set.KPI.Programme.HasCost() || set.KPI.Programme.GoLive.IsZero() || !set.KPI.Programme.GoLive.Before(end) {
		t.Fatalf("demo programme %+v", set.KPI.Programme)
	}
	s, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.ViewRollups(func(r *store.Rollups) error {
		rep, err := kpi.ComputeDefault(r, end, set.KPI.Defs)
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := rep.Find("roi"); v.Value == nil || v.Missing != "" {
			t.Errorf("demo ROI: %q (%s)", v.Text(), v.Note)
		}
		g, err := kpi.SinceGoLive(r, set.KPI.Programme, end, set.KPI.Defs)
		if v, _ := g.Find("order_processing_h"); err != nil || v.Baseline == nil || *v.Baseline != 120 {
			t.Errorf("demo since go-live: %v %+v", err, v)
		}
		return nil
	})
	configured := config.Default()
	configured.KPI.Programme.YearlyCost = 1
	if got := demoSettings(configured, end, 10); got.KPI.Programme.GoLive != configured.KPI.Programme.GoLive {
		t.Error("the demo replaced a configured programme")
	}
}

// An action is recorded as a person: the config's user, else $USER, else
// the login of the process's uid; never a role.
func TestActionsAreRecordedAsAPerson(t *testing.T) {
	if got := actor("Nguyen Thi Lan", "lan", 0); got != "Nguyen Thi Lan" {
		t.Errorf("config user: %q", got)
	}
	if got := actor("", "lan", 0); got != "lan" {
		t.Errorf("$USER: %q", got)
	}
	if got, want := actor("", "", os.Getuid()), control.UserName(uint32(os.Getuid())); got != want || got == "" {
		t.Errorf("no config user nor $USER: %q, want the uid's login %q", got, want)
	}
	dir := t.TempDir()
	db := simulated(t, dir)
	cfg := filepath.Join(dir, "user.toml")
	os.WriteFile(cfg, []byte("user = \"Nguyen Thi Lan\"\n"), 0o600)
	list := runIn(t, "tickets", "--db", db, "--status", "new", "--limit", "1", "--json")
	var tickets []struct{ ID string }
	if err := json.Unmarshal([]byte(list.out), &tickets); err != nil || len(tickets) == 0 {
		t.Fatalf("no new ticket: %v %+v", err, list)
	}
	if r := runIn(t, "triage", tickets[0].ID, "--db", db, "--config", cfg, "--note", "called the customer"); r.code != 0 {
		t.Fatalf("triage: %+v", r)
	}
	for _, rec := range exportedRecords(t, db) {
		if tk := rec.Ticket; tk != nil && tk.ID == tickets[0].ID {
			if by := tk.History[len(tk.History)-1].By; by != "Nguyen Thi Lan" {
				t.Errorf("the note is recorded as %q, want the config's user", by)
			}
		}
	}
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("user = \"lan\\u001b[31m\"\n"), 0o600)
	wantOneLineError(t, runIn(t, "kpi", "--db", db, "--config", bad), 1, `user "lan\x1b[31m": use printable characters`)
}

// tickets takes the console's new filters as flags.
func TestTicketsFilterFlags(t *testing.T) {
	db := simulated(t, t.TempDir())
	at, _ := time.Parse(time.RFC3339, simEnd)
	r := runIn(t, "tickets", "--db", db, "--at", simEnd, "--breached", "yes", "--priority", "high", "--limit", "200", "--json")
	var raw []map[string]any
	if err := json.Unmarshal([]byte(r.out), &raw); err != nil || r.code != 0 || len(raw) == 0 {
		t.Fatalf("no breached high-priority ticket listed: %v %+v", err, r)
	}
	for _, tk := range raw {
		due, _ := time.Parse(time.RFC3339, tk["sla_due_at"].(string))
		if tk["priority"] != "high" || !at.After(due) {
			t.Errorf("ticket %v: priority %v, due %v, at %v", tk["id"], tk["priority"], due, at)
		}
	}
	wantOneLineError(t, runIn(t, "tickets", "--db", db, "--escalated", "maybe"), 2, `--escalated "maybe": use yes or no`)
	wantOneLineError(t, runIn(t, "tickets", "--db", db, "--priority", "asap"), 2, `--priority "asap" is not known`)
}
