package main

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
)

// recomputeKPIs derives every KPI over [start, end) from exported records,
// independently of the rollups: what `cxtop kpi` must agree with.
func recomputeKPIs(recs []model.Record, start, end time.Time) map[string]*float64 {
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
	active, digitalActive := map[string]bool{}, map[string]bool{}
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
			if t.Status == model.StatusDone && in(t.ResolvedAt) {
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
	set("nps", 100*(npsPro-npsDet), npsN)
	set("bot_csat", botSum, botN)
	set("ces", cesSum, cesN)
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

// TestKPIsEqualARecomputationFromExport is the KPI engine's property test:
// for random windows over a simulated store, every KPI (and its baseline)
// read from rollups equals a recomputation from the exported records.
func TestKPIsEqualARecomputationFromExport(t *testing.T) {
	db := simulated(t, t.TempDir())
	exp := runIn(t, "export", "--db", db)
	var recs []model.Record
	for _, line := range strings.Split(strings.TrimSpace(exp.out), "\n") {
		r, err := model.ParseRecord([]byte(line))
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	end, _ := time.Parse(time.RFC3339, simEnd)
	rng := rand.New(rand.NewPCG(1, 2))
	windows := []int{1, 6, 24, 72, 168, 240}
	for i := 0; i < 12; i++ {
		at := end.Add(-time.Duration(rng.IntN(10*24)) * time.Hour).Add(time.Duration(rng.IntN(3600)) * time.Second)
		hours := windows[rng.IntN(len(windows))]
		r := runIn(t, "kpi", "--db", db, "--at", at.Format(time.RFC3339), "--window", (time.Duration(hours) * time.Hour).String(), "--json")
		if r.code != 0 {
			t.Fatalf("kpi: %+v", r)
		}
		var doc struct {
			At          time.Time `json:"at"`
			WindowHours int       `json:"window_hours"`
			KPIs        []struct {
				ID       string   `json:"id"`
				Value    *float64 `json:"value"`
				Baseline *float64 `json:"baseline"`
			} `json:"kpis"`
		}
		if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
			t.Fatal(err)
		}
		wEnd := at.Truncate(time.Hour)
		length := time.Duration(hours) * time.Hour
		if !doc.At.Equal(wEnd) || doc.WindowHours != hours {
			t.Fatalf("window %v/%d, want %v/%d", doc.At, doc.WindowHours, wEnd, hours)
		}
		want := recomputeKPIs(recs, wEnd.Add(-length), wEnd)
		base := recomputeKPIs(recs, wEnd.Add(-2*length), wEnd.Add(-length))
		if len(doc.KPIs) != 13 {
			t.Fatalf("%d KPIs, want 13", len(doc.KPIs))
		}
		for _, k := range doc.KPIs {
			for _, c := range []struct {
				what      string
				got, want *float64
			}{{"value", k.Value, want[k.ID]}, {"baseline", k.Baseline, base[k.ID]}} {
				switch {
				case (c.got == nil) != (c.want == nil):
					t.Errorf("window %s/%dh %s %s: got %v, records give %v", wEnd.Format(time.RFC3339), hours, k.ID, c.what, c.got, c.want)
				case c.got != nil && math.Abs(*c.got-*c.want) > 1e-9*math.Max(1, math.Abs(*c.want)):
					t.Errorf("window %s/%dh %s %s: got %v, records give %v", wEnd.Format(time.RFC3339), hours, k.ID, c.what, *c.got, *c.want)
				}
			}
		}
	}
}

func TestKPIFlagErrors(t *testing.T) {
	for _, tc := range []struct{ args, want string }{
		{"--window 90m", `--window "90m": use whole hours or days`},
		{"--window 400d", `--window "400d"`},
		{"--window soon", `--window "soon"`},
		{"--at yesterday", `--at "yesterday" is not an RFC 3339 time`},
	} {
		r := runIn(t, append([]string{"kpi", "--db", "/nonexistent/cx.db"}, strings.Fields(tc.args)...)...)
		wantOneLineError(t, r, 2, tc.want)
	}
}
