package main

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/kpi"
)

// checkTicketBreakdown recomputes the ticket KPIs per value of by from the
// records and compares them with `kpi --by by --json`.
func checkTicketBreakdown(t *testing.T, name, by string, out []byte, recs []model.Record, start, end time.Time) {
	t.Helper()
	var doc struct {
		Tickets []struct {
			Value       string   `json:"value"`
			Created     int64    `json:"created"`
			Backlog     int64    `json:"backlog"`
			Resolved    int64    `json:"resolved"`
			HandlingH   *float64 `json:"handling_time_h"`
			SLA         *float64 `json:"sla_compliance"`
			CSATPostRes *float64 `json:"csat_post_resolution"`
			Success     *float64 `json:"successful_resolution_rate"`
		} `json:"tickets"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	in := func(x time.Time) bool { return !x.IsZero() && !x.Before(start) && x.Before(end) }
	type agg struct {
		created, backlog, resolved, withSLA, inSLA, postN, postPos float64
		sec                                                        float64
		failed                                                     map[string]bool
	}
	byValue := map[string]*agg{}
	get := func(v string) *agg {
		if byValue[v] == nil {
			byValue[v] = &agg{failed: map[string]bool{}}
		}
		return byValue[v]
	}
	tickets := map[string]*model.Ticket{}
	for _, r := range recs {
		if tk := r.Ticket; tk != nil {
			tickets[tk.ID] = tk
		}
	}
	for _, tk := range tickets {
		v := kpi.TicketField(tk, by)
		if v == "" {
			continue
		}
		a := get(v)
		done := tk.Status == model.StatusDone && !tk.ResolvedAt.IsZero()
		if in(tk.CreatedAt) {
			a.created++
		}
		if tk.CreatedAt.Before(end) && !(done && tk.ResolvedAt.Before(end)) {
			a.backlog++
		}
		if done && in(tk.ResolvedAt) {
			a.resolved++
			a.sec += float64(int64(tk.ResolvedAt.Sub(tk.CreatedAt) / time.Second))
			if !tk.SLADueAt.IsZero() {
				a.withSLA++
				if !tk.ResolvedAt.After(tk.SLADueAt) {
					a.inSLA++
				}
			}
			for _, c := range tk.History {
				if c.Field == "status" && c.Old == model.StatusDone && c.New != model.StatusDone {
					a.failed[tk.ID] = true
				}
			}
		}
	}
	for _, r := range recs {
		f := r.Feedback
		if f == nil || f.Survey != model.SurveyCSAT || f.Kind != model.KindPostResolution || f.TicketID == "" || !in(f.At) {
			continue
		}
		tk := tickets[f.TicketID]
		if tk == nil || kpi.TicketField(tk, by) == "" {
			continue
		}
		a := get(kpi.TicketField(tk, by))
		a.postN++
		if f.Score >= 4 {
			a.postPos++
		}
		if f.Score <= 2 {
			a.failed[tk.ID] = true
		}
	}
	seen := 0
	for _, row := range doc.Tickets {
		a := byValue[row.Value]
		if a == nil {
			t.Errorf("%s by %s: %q is in the output, not in the records", name, by, row.Value)
			continue
		}
		seen++
		if float64(row.Created) != a.created || float64(row.Backlog) != a.backlog || float64(row.Resolved) != a.resolved {
			t.Errorf("%s by %s %q: created/backlog/done %d/%d/%d, records give %v/%v/%v", name, by, row.Value,
				row.Created, row.Backlog, row.Resolved, a.created, a.backlog, a.resolved)
		}
		wantClose(t, name+" "+by+" "+row.Value+" handling", row.HandlingH, ratioPtr(a.sec/3600, a.resolved))
		wantClose(t, name+" "+by+" "+row.Value+" sla", row.SLA, ratioPtr(a.inSLA, a.withSLA))
		wantClose(t, name+" "+by+" "+row.Value+" csat res", row.CSATPostRes, ratioPtr(a.postPos, a.postN))
		wantClose(t, name+" "+by+" "+row.Value+" success", row.Success, ratioPtr(math.Max(a.resolved-float64(len(a.failed)), 0), a.resolved))
	}
	for _, a := range byValue {
		if a.created+a.backlog+a.resolved+a.postN > 0 {
			seen--
		}
	}
	if seen != 0 {
		t.Errorf("%s by %s: the output and the records have different values", name, by)
	}
}
