package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cxtop/cxtop/model"
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
