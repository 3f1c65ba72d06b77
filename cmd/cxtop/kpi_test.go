package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/kpi"
)

// recomputeKPIs derives every KPI over [start, end) from exported records,
// independently of the rollups: what `cxtop kpi` must agree with.
func recomputeKPIs(recs []model.Record, start, end time.Time, yearlyCost, share float64) map[string]*float64 {
	in := func(t time.Time) bool { return !t.IsZero() && !t.Before(start) && t.Before(end) }
	out := map[string]*float64{}
	set := func(id string, num, den float64) {
		if den != 0 {
			v := num / den
			out[id] = &v
		}
	}
	var csatPos, csatN, npsPro, npsDet, npsN, botSum, botN, cesSum, cesN float64
	var resolved, inSLA, withSLA, handleSec, frN, frSec, openCreated, created, resolvedBefore float64
	var abandoned, started, procN, procSec, digital, digitalPrev float64
	var postPos, postN, sentSum, sentN float64
	var loops, contacted24, closed10 float64
	var closeHours []int64
	active, digitalActive, failed := map[string]bool{}, map[string]bool{}, map[string]bool{}
	prevStart := start.Add(-end.Sub(start))
	for _, r := range recs {
		switch {
		case r.Ticket != nil:
			t := r.Ticket
			if in(t.CreatedAt) && t.CustomerID != "" {
				active[t.CustomerID] = true
			}
			if t.CreatedAt.Before(end) {
				created++
			}
			if t.Status == model.StatusDone && t.ResolvedAt.Before(end) {
				resolvedBefore++
			}
			if in(t.FirstResponseAt) {
				frN++
				frSec += float64(int64(t.FirstResponseAt.Sub(t.CreatedAt) / time.Second))
			}
			if in(t.CreatedAt) && t.Open() {
				openCreated++
			}
			// A detractor's follow-up: contacted at its first response (or
			// when closed without one), closed when done.
			if strings.HasPrefix(t.ID, "fu-") {
				contact := t.FirstResponseAt
				if contact.IsZero() && t.Status == model.StatusDone {
					contact = t.ResolvedAt
				}
				if in(t.CreatedAt) {
					loops++
					if !contact.IsZero() && contact.Sub(t.CreatedAt) <= 24*time.Hour {
						contacted24++
					}
					if t.Status == model.StatusDone && t.ResolvedAt.Sub(t.CreatedAt) <= 240*time.Hour {
						closed10++
					}
				}
				if t.Status == model.StatusDone && in(t.ResolvedAt) {
					closeHours = append(closeHours, int64(t.ResolvedAt.Sub(t.CreatedAt)/time.Hour))
				}
			}
			if t.Status == model.StatusDone && in(t.ResolvedAt) {
				for _, c := range t.History {
					if c.Field == "status" && c.Old == model.StatusDone && c.New != model.StatusDone {
						failed[t.ID] = true
					}
				}
				resolved++
				handleSec += float64(int64(t.ResolvedAt.Sub(t.CreatedAt) / time.Second))
				if !t.SLADueAt.IsZero() {
					withSLA++
					if !t.ResolvedAt.After(t.SLADueAt) {
						inSLA++
					}
				}
			}
		case r.Feedback != nil:
			f := r.Feedback
			if !in(f.At) {
				continue
			}
			if f.CustomerID != "" {
				active[f.CustomerID] = true
			}
			s := float64(f.Score)
			switch f.Survey {
			case model.SurveyCSAT:
				csatN++
				if f.Score >= 4 {
					csatPos++
				}
				if f.Kind == model.KindPostResolution {
					postN++
					if f.Score >= 4 {
						postPos++
					}
					if f.TicketID != "" && f.Score <= 2 {
						failed[f.TicketID] = true
					}
				}
			case model.SurveyNPS:
				npsN++
				if f.Score >= 9 {
					npsPro++
				} else if f.Score <= 6 {
					npsDet++
				}
			case model.SurveyBot:
				botN++
				botSum += s
				if f.Sentiment != nil {
					sentN++
					sentSum += math.Round(*f.Sentiment*1000) / 1000
				}
			case model.SurveyCES:
				cesN++
				cesSum += s
			}
		case r.Event != nil:
			e := r.Event
			if e.Type == model.EventPurchase && e.Digital && !e.At.Before(prevStart) && e.At.Before(start) {
				digitalPrev += float64(e.Amount)
			}
			if !in(e.At) {
				continue
			}
			if e.CustomerID != "" {
				active[e.CustomerID] = true
				if e.Type == model.EventDigitalLogin {
					digitalActive[e.CustomerID] = true
				}
			}
			switch e.Type {
			case model.EventFormAbandoned:
				abandoned++
			case model.EventFormStarted:
				started++
			case model.EventOrderProcessed:
				procN++
				procSec += float64(int64(e.At.Sub(e.PlacedAt) / time.Second))
			case model.EventPurchase:
				if e.Digital {
					digital += float64(e.Amount)
				}
			}
		}
	}
	set("csat", csatPos, csatN)
	set("csat_post_resolution", postPos, postN)
	set("detractors_contacted_24h", contacted24, loops)
	set("loops_closed_10d", closed10, loops)
	set("survey_response_rate", postN, resolved)
	if len(closeHours) > 0 {
		slices.Sort(closeHours)
		set("loop_close_median_h", float64(closeHours[(len(closeHours)-1)/2]), 1)
	}
	set("successful_resolution_rate", math.Max(resolved-float64(len(failed)), 0), resolved)
	if yearlyCost > 0 {
		// ROI counts only the hours the store has digital revenue for: a
		// window reaching before the history is not charged a cost there.
		from := start
		var first time.Time
		for _, r := range recs {
			if e := r.Event; e != nil && e.Type == model.EventPurchase && e.Digital && (first.IsZero() || e.At.Before(first)) {
				first = e.At
			}
		}
		if first = first.Truncate(time.Hour); first.After(from) {
			from = first
		}
		if from.Before(end) {
			var benefit float64
			for _, r := range recs {
				if e := r.Event; e != nil && e.Type == model.EventPurchase && e.Digital && !e.At.Before(from) && e.At.Before(end) {
					benefit += float64(e.Amount)
				}
			}
			cost := yearlyCost * end.Sub(from).Hours() / 8760
			set("roi", share*benefit-cost, cost)
		}
	}
	set("nps", 100*(npsPro-npsDet), npsN)
	set("bot_csat", botSum, botN)
	set("ces", cesSum, cesN)
	set("bot_sentiment", sentSum, sentN)
	set("digital_adoption", float64(len(digitalActive)), float64(len(active)))
	set("sla_compliance", inSLA, withSLA)
	set("handling_time_h", handleSec/3600, resolved)
	set("first_response_h", frSec/3600, frN)
	set("resolution_rate", resolved, resolved+openCreated)
	set("backlog", created-resolvedBefore, 1)
	set("order_processing_h", procSec/3600, procN)
	set("form_abandonment", abandoned, started)
	if digitalPrev != 0 {
		set("digital_revenue_growth", digital-digitalPrev, digitalPrev)
	}
	return out
}

// The config of the property test: a programme cost for ROI, a target
// override, variant B as the A/B control.
const (
	propCost   = 5_000_000_000
	propShare  = 0.3
	propConfig = `[kpi]
programme_cost = 5000000000
benefit_share = 0.3
ab_control = "B"

[kpi.targets]
csat = { target = 0.9, margin = 0.01 }
`
)

// TestKPIsEqualARecomputationFromExport is the KPI engine's property test:
// for random windows over a simulated store, every KPI (and its baseline),
// every breakdown, the A/B comparison and NPS vs revenue read from rollups
// equal a recomputation from the exported records.
func TestKPIsEqualARecomputationFromExport(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte(propConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	// The simulator never reopens a ticket: reopen every 7th done one (a
	// status change away from done in its history), through an import.
	var reopened []byte
	for i, r := range exportedRecords(t, db) {
		if tk := r.Ticket; tk != nil && tk.Status == model.StatusDone && i%7 == 0 {
			tk.History = append(tk.History,
				model.Change{At: tk.ResolvedAt, By: "lead", Field: "status", Old: model.StatusDone, New: model.StatusInProgress},
				model.Change{At: tk.ResolvedAt, By: "lead", Field: "status", Old: model.StatusInProgress, New: model.StatusDone})
			reopened = append(model.AppendRecord(reopened, r), '\n')
		}
	}
	spool := filepath.Join(dir, "reopened.jsonl")
	if err := os.WriteFile(spool, reopened, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runIn(t, "import", "--db", db, spool); r.code != 0 {
		t.Fatalf("import the reopened tickets: %+v", r)
	}
	recs := exportedRecords(t, db)
	end, _ := time.Parse(time.RFC3339, simEnd)
	rng := rand.New(rand.NewPCG(1, 2))
	windows := []int{1, 6, 24, 72, 168, 240}
	for i := 0; i < 12; i++ {
		at := end.Add(-time.Duration(rng.IntN(10*24)) * time.Hour).Add(time.Duration(rng.IntN(3600)) * time.Second)
		hours := windows[rng.IntN(len(windows))]
		wEnd := at.Truncate(time.Hour)
		length := time.Duration(hours) * time.Hour
		name := fmt.Sprintf("window %s/%dh", wEnd.Format(time.RFC3339), hours)
		run := func(args ...string) []byte {
			t.Helper()
			args = append(args, "--db", db, "--config", cfg, "--at", at.Format(time.RFC3339), "--window", length.String(), "--json")
			r := runIn(t, args...)
			if r.code != 0 {
				t.Fatalf("%v: %+v", args, r)
			}
			var head struct {
				At          time.Time `json:"at"`
				WindowHours int       `json:"window_hours"`
			}
			if err := json.Unmarshal([]byte(r.out), &head); err != nil {
				t.Fatal(err)
			}
			if !head.At.Equal(wEnd) || head.WindowHours != hours {
				t.Fatalf("%v: window %v/%d, want %v/%d", args, head.At, head.WindowHours, wEnd, hours)
			}
			return []byte(r.out)
		}
		var doc struct {
			KPIs []struct {
				ID       string   `json:"id"`
				Value    *float64 `json:"value"`
				N        int64    `json:"n"`
				Target   *float64 `json:"target"`
				Baseline *float64 `json:"baseline"`
			} `json:"kpis"`
		}
		if err := json.Unmarshal(run("kpi"), &doc); err != nil {
			t.Fatal(err)
		}
		want := recomputeKPIs(recs, wEnd.Add(-length), wEnd, propCost, propShare)
		base := recomputeKPIs(recs, wEnd.Add(-2*length), wEnd.Add(-length), propCost, propShare)
		if len(doc.KPIs) != 21 {
			t.Fatalf("%d KPIs, want 21", len(doc.KPIs))
		}
		for _, k := range doc.KPIs {
			if k.ID == "csat" && (k.Target == nil || *k.Target != 0.9) {
				t.Errorf("csat target %v, want 0.9 from the config", k.Target)
			}
			wantClose(t, name+" "+k.ID+" value", k.Value, want[k.ID])
			wantClose(t, name+" "+k.ID+" baseline", k.Baseline, base[k.ID])
		}
		for _, by := range []string{"segment", "touchpoint", "source"} {
			checkBreakdown(t, name, by, run("kpi", "--by", by), recs, wEnd.Add(-length), wEnd)
		}
		for _, by := range kpi.TicketDimNames {
			checkTicketBreakdown(t, name, by, run("kpi", "--by", by), recs, wEnd.Add(-length), wEnd)
		}
		checkAB(t, name, run("ab"), recs, wEnd.Add(-length), wEnd)
		checkNPSRevenue(t, name, run("nps-revenue"), recs, wEnd.Add(-length), wEnd)
	}
}

func exportedRecords(t *testing.T, db string) []model.Record {
	t.Helper()
	exp := runIn(t, "export", "--db", db)
	var recs []model.Record
	for _, line := range strings.Split(strings.TrimSpace(exp.out), "\n") {
		r, err := model.ParseRecord([]byte(line))
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	return recs
}

// wantClose: both nil, or equal within 1e-9 (relative beyond 1).
func wantClose(t *testing.T, what string, got, want *float64) {
	t.Helper()
	switch {
	case (got == nil) != (want == nil):
		t.Errorf("%s: got %v, records give %v", what, fmtPtr(got), fmtPtr(want))
	case got != nil && math.Abs(*got-*want) > 1e-9*math.Max(1, math.Abs(*want)):
		t.Errorf("%s: got %v, records give %v", what, *got, *want)
	}
}

func fmtPtr(p *float64) string {
	if p == nil {
		return "null"
	}
	return strconv.FormatFloat(*p, 'g', -1, 64)
}

func ratioPtr(num, den float64) *float64 {
	if den == 0 {
		return nil
	}
	v := num / den
	return &v
}

// checkBreakdown recomputes CSAT and NPS per value of a feedback dimension.
func checkBreakdown(t *testing.T, name, by string, out []byte, recs []model.Record, start, end time.Time) {
	t.Helper()
	var doc struct {
		By   string `json:"by"`
		Rows []struct {
			Value string   `json:"value"`
			CSAT  *float64 `json:"csat"`
			CSATN int64    `json:"csat_n"`
			NPS   *float64 `json:"nps"`
			NPSN  int64    `json:"nps_n"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	type acc struct{ csatPos, csatN, pro, det, npsN float64 }
	want := map[string]*acc{}
	for _, r := range recs {
		f := r.Feedback
		if f == nil || f.At.Before(start) || !f.At.Before(end) || (f.Survey != model.SurveyCSAT && f.Survey != model.SurveyNPS) {
			continue
		}
		v := map[string]string{"segment": f.Segment, "touchpoint": f.Touchpoint, "source": f.Channel}[by]
		if v == "" {
			continue
		}
		if want[v] == nil {
			want[v] = &acc{}
		}
		a := want[v]
		if f.Survey == model.SurveyCSAT {
			a.csatN++
			if f.Score >= 4 {
				a.csatPos++
			}
		} else {
			a.npsN++
			if f.Score >= 9 {
				a.pro++
			} else if f.Score <= 6 {
				a.det++
			}
		}
	}
	if doc.By != by || len(doc.Rows) != len(want) {
		t.Errorf("%s --by %s: %d rows, records give %d values", name, by, len(doc.Rows), len(want))
	}
	for _, row := range doc.Rows {
		a := want[row.Value]
		if a == nil {
			t.Errorf("%s --by %s: value %q has no answers in the records", name, by, row.Value)
			continue
		}
		if row.CSATN != int64(a.csatN) || row.NPSN != int64(a.npsN) {
			t.Errorf("%s --by %s %s: n %d/%d, records give %v/%v", name, by, row.Value, row.CSATN, row.NPSN, a.csatN, a.npsN)
		}
		wantClose(t, name+" "+by+" "+row.Value+" csat", row.CSAT, ratioPtr(a.csatPos, a.csatN))
		wantClose(t, name+" "+by+" "+row.Value+" nps", row.NPS, ratioPtr(100*(a.pro-a.det), a.npsN))
	}
}

// checkAB recomputes the A/B comparison against control B (the config's).
func checkAB(t *testing.T, name string, out []byte, recs []model.Record, start, end time.Time) {
	t.Helper()
	var doc struct {
		Variants []struct {
			Variant   string   `json:"variant"`
			Control   bool     `json:"control"`
			Started   int64    `json:"started"`
			Completed int64    `json:"completed"`
			Rate      *float64 `json:"completion_rate"`
			Lift      *float64 `json:"lift"`
			PValue    *float64 `json:"p_value"`
			Wins      bool     `json:"wins"`
		} `json:"variants"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	started, completed := map[string]float64{}, map[string]float64{}
	everStarted := map[string]bool{}
	for _, r := range recs {
		e := r.Event
		if e == nil || e.Variant == "" {
			continue
		}
		if e.Type == model.EventFormStarted {
			everStarted[e.Variant] = true
		}
		if e.At.Before(start) || !e.At.Before(end) {
			continue
		}
		switch e.Type {
		case model.EventFormStarted:
			started[e.Variant]++
		case model.EventFormCompleted:
			completed[e.Variant]++
		}
	}
	everStarted["B"] = true
	if len(doc.Variants) != len(everStarted) || len(doc.Variants) == 0 || doc.Variants[0].Variant != "B" || !doc.Variants[0].Control {
		t.Fatalf("%s ab: variants %+v, want the control B first and %d in all", name, doc.Variants, len(everStarted))
	}
	cn, cx := started["B"], completed["B"]
	for _, v := range doc.Variants {
		n, x := started[v.Variant], completed[v.Variant]
		if v.Started != int64(n) || v.Completed != int64(x) {
			t.Errorf("%s ab %s: %d/%d, records give %v/%v", name, v.Variant, v.Completed, v.Started, x, n)
		}
		rate := ratioPtr(x, n)
		wantClose(t, name+" ab "+v.Variant+" rate", v.Rate, rate)
		if v.Control {
			continue
		}
		var lift, p *float64
		if rate != nil && cn > 0 && cx > 0 {
			lift = ratioPtr(*rate, cx/cn)
			*lift--
		}
		// The pooled two-proportion z-test, written out again.
		if pool := (x + cx) / (n + cn); n > 0 && cn > 0 && pool > 0 && pool < 1 {
			z := (x/n - cx/cn) / math.Sqrt(pool*(1-pool)*(1/n+1/cn))
			pv := 2 * (1 - 0.5*(1+math.Erf(math.Abs(z)/math.Sqrt2)))
			p = &pv
		}
		wantClose(t, name+" ab "+v.Variant+" lift", v.Lift, lift)
		if (v.PValue == nil) != (p == nil) || v.PValue != nil && math.Abs(*v.PValue-*p) > 1e-9 {
			t.Errorf("%s ab %s: p-value %s, records give %s", name, v.Variant, fmtPtr(v.PValue), fmtPtr(p))
		}
		if wins := lift != nil && p != nil && *lift >= 0.15 && *p < 0.05; v.Wins != wins {
			t.Errorf("%s ab %s: wins %v, records give %v", name, v.Variant, v.Wins, wins)
		}
	}
}

// checkNPSRevenue recomputes revenue and churn per segment and category.
func checkNPSRevenue(t *testing.T, name string, out []byte, recs []model.Record, start, end time.Time) {
	t.Helper()
	var doc struct {
		Rows []struct {
			Segment       string   `json:"segment"`
			Category      string   `json:"category"`
			Customers     int64    `json:"customers"`
			Revenue       int64    `json:"revenue"`
			PerCustomer   *float64 `json:"revenue_per_customer"`
			PrevCustomers int64    `json:"previous_customers"`
			Churned       int64    `json:"churned"`
			ChurnRate     *float64 `json:"churn_rate"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	prevStart := start.Add(-end.Sub(start))
	in := func(t, a, b time.Time) bool { return !t.Before(a) && t.Before(b) }
	type answers struct{ sum, n int }
	now, prev := map[[2]string]*answers{}, map[[2]string]*answers{}
	revenue := map[string]int64{}
	active := map[string]bool{}
	for _, r := range recs {
		switch {
		case r.Ticket != nil:
			if in(r.Ticket.CreatedAt, start, end) {
				active[r.Ticket.CustomerID] = true
			}
		case r.Feedback != nil:
			f := r.Feedback
			if in(f.At, start, end) {
				active[f.CustomerID] = true
			}
			if f.Survey != model.SurveyNPS || f.CustomerID == "" {
				continue
			}
			for _, w := range []struct {
				m    map[[2]string]*answers
				a, b time.Time
			}{{now, start, end}, {prev, prevStart, start}} {
				if in(f.At, w.a, w.b) {
					k := [2]string{f.Segment, f.CustomerID}
					if w.m[k] == nil {
						w.m[k] = &answers{}
					}
					w.m[k].sum += f.Score
					w.m[k].n++
				}
			}
		case r.Event != nil:
			e := r.Event
			if in(e.At, start, end) {
				active[e.CustomerID] = true
				if e.Type == model.EventPurchase {
					revenue[e.CustomerID] += e.Amount
				}
			}
		}
	}
	category := func(a *answers) string {
		mean := float64(a.sum) / float64(a.n)
		switch {
		case mean >= 9:
			return "promoter"
		case mean >= 7:
			return "passive"
		}
		return "detractor"
	}
	type cell struct{ customers, revenue, prev, churned int64 }
	want := map[[2]string]*cell{}
	get := func(seg, cat string) *cell {
		k := [2]string{seg, cat}
		if want[k] == nil {
			want[k] = &cell{}
		}
		return want[k]
	}
	for k, a := range now {
		c := get(k[0], category(a))
		c.customers++
		c.revenue += revenue[k[1]]
	}
	for k, a := range prev {
		c := get(k[0], category(a))
		c.prev++
		if !active[k[1]] {
			c.churned++
		}
	}
	got := map[[2]string]bool{}
	for _, row := range doc.Rows {
		k := [2]string{row.Segment, row.Category}
		got[k] = true
		c := want[k]
		if c == nil {
			c = &cell{}
		}
		if row.Customers != c.customers || row.Revenue != c.revenue || row.PrevCustomers != c.prev || row.Churned != c.churned {
			t.Errorf("%s nps-revenue %v: %+v, records give %+v", name, k, row, *c)
		}
		wantClose(t, fmt.Sprintf("%s nps-revenue %v per customer", name, k), row.PerCustomer, ratioPtr(float64(c.revenue), float64(c.customers)))
		wantClose(t, fmt.Sprintf("%s nps-revenue %v churn", name, k), row.ChurnRate, ratioPtr(float64(c.churned), float64(c.prev)))
	}
	for k := range want {
		if !got[k] {
			t.Errorf("%s nps-revenue: no row for %v", name, k)
		}
	}
}

func TestKPIFlagErrors(t *testing.T) {
	for _, tc := range []struct{ args, want string }{
		{"--window 90m", `--window "90m": use whole hours or days`},
		{"--window 400d", `--window "400d"`},
		{"--window soon", `--window "soon"`},
		{"--at yesterday", `--at "yesterday" is not a date (2026-11-01) or an RFC 3339 time`},
		{"--by nonsense", `--by "nonsense": use type, subtype, department, assignee, source, segment, touchpoint`},
		{"--by", `flag needs an argument`},
	} {
		r := runIn(t, append([]string{"kpi", "--db", "/nonexistent/cx.db"}, strings.Fields(tc.args)...)...)
		wantOneLineError(t, r, 2, tc.want)
	}
	for _, cmd := range []string{"ab", "nps-revenue"} {
		for _, tc := range []struct{ args, want string }{
			{"--window 0h", `--window "0h": use whole hours or days`},
			{"--window 366d", `--window "366d"`},
			{"--at now", `--at "now" is not a date (2026-11-01) or an RFC 3339 time`},
			{"--by segment", `unknown flag: --by`},
		} {
			r := runIn(t, append([]string{cmd, "--db", "/nonexistent/cx.db"}, strings.Fields(tc.args)...)...)
			wantOneLineError(t, r, 2, tc.want)
		}
	}
}

// A bad [kpi] section fails every KPI command with one line naming the key.
func TestKPIConfigErrors(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	for _, tc := range []struct{ config, want string }{
		{"[kpi.targets]\ncsatt = { target = 0.9 }\n", "kpi.targets.csatt: no KPI has this id: use one of csat, csat_post_resolution"},
		{"[kpi.targets]\ncsat = { tagret = 0.9 }\n", "unknown key kpi.targets.csat.tagret"},
		{"[kpi]\nprogramme_cots = 5\n", "unknown key kpi.programme_cots"},
		{"[kpi]\nbenefit_share = 2.0\n", "kpi.benefit_share 2: use a share from 0 to 1"},
		{"[kpi.targets]\nbacklog = { target = 10 }\n", "kpi.targets.backlog: this KPI has no target"},
	} {
		cfg := filepath.Join(dir, "bad.toml")
		if err := os.WriteFile(cfg, []byte(tc.config), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range []string{"kpi", "ab"} {
			wantOneLineError(t, runIn(t, cmd, "--db", db, "--config", cfg), 1, tc.want)
		}
	}
}

// The text reports are aligned tables that fit an 80-column terminal.
func TestKPITablesFit80Columns(t *testing.T) {
	db := simulated(t, t.TempDir())
	for _, args := range [][]string{
		{"kpi"}, {"kpi", "--by", "segment"}, {"kpi", "--by", "touchpoint"}, {"kpi", "--by", "source"}, {"kpi", "--by", "subtype"}, {"kpi", "--by", "assignee"}, {"kpi", "--by", "department"}, {"ab"}, {"nps-revenue"},
	} {
		r := runIn(t, append(args, "--db", db, "--at", simEnd, "--window", "7d")...)
		lines := strings.Split(strings.TrimRight(r.out, "\n"), "\n")
		// The table starts after the first blank line.
		h := slices.Index(lines, "") + 1
		if r.code != 0 || h == 0 || h+1 >= len(lines) {
			t.Fatalf("%v: no table in %+v", args, r)
		}
		for _, l := range lines {
			if n := utf8.RuneCountInString(l); n > 80 {
				t.Errorf("%v: a line of %d columns: %q", args, n, l)
			}
		}
		// Columns line up: the second header word starts its column in the
		// first row too (the first column is ASCII, so bytes are columns).
		col := strings.Index(lines[h], strings.Fields(lines[h])[1])
		if row := lines[h+1]; col <= 0 || len(row) <= col || row[col-1] != ' ' || row[col] == ' ' {
			t.Errorf("%v: the second column does not start at %d in %q", args, col, row)
		}
	}
}
