package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
)

// TestDiffEqualsARecomputationFromExports takes snapshot A of a simulated
// store, changes the store (tickets closed, reopened and added, detractors
// answered and followed up, alerts evaluated a day later), takes snapshot
// B, and checks `cxtop diff A B --json` against the same comparison done
// from the two snapshots' exports (and B's alert list).
func TestDiffEqualsARecomputationFromExports(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	tA, _ := time.Parse(time.RFC3339, simEnd)
	tB := tA.Add(48 * time.Hour)
	snapA, snapB := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	pastSnapshot(t, db, snapA, tA)

	// Change the store between the snapshots.
	var changes []byte
	add := func(r model.Record) { changes = append(model.AppendRecord(changes, r), '\n') }
	closed, reopened := 0, 0
	for i, r := range exportedRecords(t, db) {
		tk := r.Ticket
		switch {
		case tk == nil:
		case tk.Open() && i%5 == 0 && closed < 40:
			tk.Status, tk.ResolvedAt, tk.UpdatedAt, tk.Version = model.StatusDone, tA.Add(time.Hour), tA.Add(time.Hour), tk.Version+1
			if tk.FirstResponseAt.IsZero() {
				tk.FirstResponseAt = tk.ResolvedAt
			}
			tk.History = append(tk.History, model.Change{At: tk.ResolvedAt, By: "lead", Field: "status", Old: model.StatusInProgress, New: model.StatusDone})
			add(r)
			closed++
		case !tk.Open() && i%9 == 0 && reopened < 15:
			tk.Status, tk.UpdatedAt, tk.ResolvedAt, tk.Version = model.StatusInProgress, tA.Add(2*time.Hour), time.Time{}, tk.Version+1
			tk.History = append(tk.History, model.Change{At: tk.UpdatedAt, By: "lead", Field: "status", Old: model.StatusDone, New: model.StatusInProgress})
			add(r)
			reopened++
		}
	}
	for i := range 6 {
		at := tA.Add(time.Duration(3+i) * time.Hour)
		add(model.Record{Ticket: &model.Ticket{ID: "TNEW" + string(rune('A'+i)), Status: model.StatusNew, Type: "complaint", SubType: "late_delivery",
			Source: "email", Priority: "normal", Department: "customer_care", CustomerID: "C000001", Segment: "regular",
			CreatedAt: at, UpdatedAt: at, SLADueAt: at.Add(72 * time.Hour), Version: 1,
			History: []model.Change{{At: at, By: "system", Field: "status", New: model.StatusNew}}}})
		add(model.Record{Feedback: &model.Feedback{ID: "FDET" + string(rune('A'+i)), Survey: model.SurveyNPS, Score: i, At: at,
			CustomerID: "C00000" + string(rune('2'+i)), Segment: "regular", Kind: model.KindRelationship, Channel: "email"}})
	}
	spool := filepath.Join(dir, "changes.jsonl")
	os.WriteFile(spool, changes, 0o600)
	if r := cxtop(t, nil, "import", "--db", db, spool); r.code != 0 {
		t.Fatalf("import the changes: %+v", r)
	}
	// A day later the automations follow the detractors up and the alert
	// rules run.
	if r := cxtop(t, nil, "alerts", "--db", db, "--at", tA.Add(24*time.Hour).Format(time.RFC3339)); r.code != 0 {
		t.Fatalf("alerts: %+v", r)
	}
	// Alerts as the engine stores them: one fired after A, one fired
	// before A and resolved after it.
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.Update(func(w *store.Writer) error {
		if err := w.PutAlert(alert.Alert{Key: "sla_compliance", Rule: "sla_compliance", Severity: alert.Critical, State: alert.Firing,
			Message: "SLA compliance 91% (limit 95%)", FiredAt: tA.Add(5 * time.Hour), UpdatedAt: tA.Add(5 * time.Hour)}); err != nil {
			return err
		}
		return w.PutAlert(alert.Alert{Key: "nps_low", Rule: "nps_low", Severity: alert.Warning, State: alert.Resolved,
			Message: "NPS 21 (target 30)", FiredAt: tA.Add(-5 * time.Hour), ResolvedAt: tA.Add(6 * time.Hour), UpdatedAt: tA.Add(6 * time.Hour)})
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	pastSnapshot(t, db, snapB, tB)

	r := cxtop(t, nil, "diff", snapA, snapB, "--json")
	if r.code != 0 {
		t.Fatalf("diff: %+v", r)
	}
	var got snapshotDiff
	if err := json.Unmarshal([]byte(r.out), &got); err != nil {
		t.Fatalf("diff --json: %v\n%s", err, r.out)
	}

	// The same comparison from the exports.
	ticketsOf := func(db string) (map[string]*model.Ticket, map[string]bool) {
		ts, fs := map[string]*model.Ticket{}, map[string]bool{}
		for _, r := range exportedRecords(t, db) {
			if r.Ticket != nil {
				ts[r.Ticket.ID] = r.Ticket
			}
			if r.Feedback != nil {
				fs[r.Feedback.ID] = true
			}
		}
		return ts, fs
	}
	before, fbA := ticketsOf(snapA)
	after, _ := ticketsOf(snapB)
	opened, closedN, reopenedN := map[[2]string]int{}, map[[2]string]int{}, map[[2]string]int{}
	var contacted []string
	var waiting []string
	for id, tk := range after {
		old := before[id]
		k := [2]string{tk.Type, tk.SubType}
		if old == nil {
			opened[k]++
		}
		if tk.Status == model.StatusDone && (old == nil || old.Status != model.StatusDone) {
			closedN[k]++
		}
		if old != nil && old.Status == model.StatusDone && tk.Status != model.StatusDone {
			reopenedN[k]++
		}
		if strings.HasPrefix(id, alert.FollowUpPrefix) {
			was := old != nil && (!old.FirstResponseAt.IsZero() || old.Status == model.StatusDone)
			is := !tk.FirstResponseAt.IsZero() || tk.Status == model.StatusDone
			if is && !was {
				contacted = append(contacted, id)
			}
			if !is {
				waiting = append(waiting, id)
			}
		}
	}
	newDetractors := 0
	for _, r := range exportedRecords(t, snapB) {
		if f := r.Feedback; f != nil && f.Survey == model.SurveyNPS && f.Score <= 6 && !fbA[f.ID] {
			newDetractors++
		}
	}
	sameCounts := func(what string, got []typeCount, want map[[2]string]int) {
		t.Helper()
		m := map[[2]string]int{}
		for _, c := range got {
			m[[2]string{c.Type, c.SubType}] = c.N
		}
		if len(m) != len(want) {
			t.Errorf("%s: %v, exports give %v", what, m, want)
		}
		for k, n := range want {
			if m[k] != n {
				t.Errorf("%s %v: %d, exports give %d", what, k, m[k], n)
			}
		}
	}
	sameCounts("opened", got.Opened, opened)
	sameCounts("closed", got.Closed, closedN)
	sameCounts("reopened", got.Reopened, reopenedN)
	if len(opened) == 0 || len(closedN) == 0 || len(reopenedN) == 0 {
		t.Fatalf("the changes made no opened, closed or reopened tickets: %v %v %v", opened, closedN, reopenedN)
	}
	slices.Sort(contacted)
	if !slices.Equal(got.Detractors.Contacted, contacted) && !(len(contacted) == 0 && len(got.Detractors.Contacted) == 0) {
		t.Errorf("contacted %v, exports give %v", got.Detractors.Contacted, contacted)
	}
	var gotWaiting []string
	for _, w := range got.Detractors.Waiting {
		gotWaiting = append(gotWaiting, w.Ticket)
	}
	slices.Sort(waiting)
	if !slices.Equal(gotWaiting, waiting) {
		t.Errorf("waiting %v, exports give %v", gotWaiting, waiting)
	}
	if got.Detractors.New != newDetractors || newDetractors < 6 {
		t.Errorf("new detractors %d, exports give %d", got.Detractors.New, newDetractors)
	}

	// Alerts: B's list, fired or resolved in (A, B].
	var alerts []alert.Alert
	al := cxtop(t, nil, "alerts", "--db", snapB, "--all", "--json")
	if err := json.Unmarshal([]byte(al.out), &alerts); err != nil {
		t.Fatalf("alerts --json: %v: %s", err, al.out)
	}
	var started []string
	for _, a := range alerts {
		if a.FiredAt.After(tA) && !a.FiredAt.After(tB) {
			started = append(started, a.Key)
		}
	}
	var gotStarted []string
	for _, a := range got.Started {
		gotStarted = append(gotStarted, a.Key)
	}
	slices.Sort(started)
	slices.Sort(gotStarted)
	if !slices.Equal(started, gotStarted) || len(started) == 0 {
		t.Errorf("alerts started %v, B's alert list gives %v", gotStarted, started)
	}
	var ended, gotEnded []string
	for _, a := range alerts {
		if a.State == alert.Resolved && a.ResolvedAt.After(tA) && !a.ResolvedAt.After(tB) {
			ended = append(ended, a.Key)
		}
	}
	for _, a := range got.Ended {
		gotEnded = append(gotEnded, a.Key)
	}
	slices.Sort(ended)
	slices.Sort(gotEnded)
	if !slices.Equal(ended, gotEnded) || len(ended) == 0 {
		t.Errorf("alerts ended %v, B's alert list gives %v", gotEnded, ended)
	}

	// KPIs: each side equals `cxtop kpi` on that snapshot at its time.
	for i, side := range []struct {
		path string
		at   time.Time
	}{{snapA, tA}, {snapB, tB}} {
		k := cxtop(t, nil, "kpi", "--db", side.path, "--at", side.at.Format(time.RFC3339), "--json")
		var doc struct {
			KPIs []struct {
				ID    string   `json:"id"`
				Value *float64 `json:"value"`
			} `json:"kpis"`
		}
		if err := json.Unmarshal([]byte(k.out), &doc); err != nil || len(doc.KPIs) != len(got.KPIs) {
			t.Fatalf("kpi on %s: %v %s", side.path, err, k.out)
		}
		for j, v := range doc.KPIs {
			g := got.KPIs[j].A
			if i == 1 {
				g = got.KPIs[j].B
			}
			wantClose(t, "diff "+v.ID, g, v.Value)
		}
	}

	// The table says the same in words.
	txt := cxtop(t, nil, "diff", snapA, snapB)
	if txt.code != 0 || !strings.Contains(txt.out, "Tickets reopened in between: ") || !strings.Contains(txt.out, "KPI ") {
		t.Fatalf("diff: %+v", txt)
	}
	wantOneLineError(t, cxtop(t, nil, "diff", snapB, snapA), 2, "give the older snapshot first")
	wantOneLineError(t, cxtop(t, nil, "diff", db, snapB), 1, "is a store, not a snapshot")
}
