package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cxtop/cxtop/model/privacy"
)

// personal lists what the export of db says about people: customer ids,
// staff names, and the emails and phone numbers planted in free text.
func personal(t *testing.T, db string, planted ...string) []string {
	seen := map[string]bool{}
	for _, r := range exportedRecords(t, db) {
		switch {
		case r.Ticket != nil:
			seen[r.Ticket.CustomerID] = true
			seen[r.Ticket.Assignee] = true
			for _, c := range r.Ticket.History {
				seen[c.By] = true
			}
		case r.Feedback != nil:
			seen[r.Feedback.CustomerID] = true
		case r.Event != nil:
			seen[r.Event.CustomerID] = true
		}
	}
	out := planted
	for s := range seen {
		if len(s) >= 3 && !privacy.NotAPerson(s) {
			out = append(out, s)
		}
	}
	return out
}

// TestMaskedSnapshot: after --mask no customer id, staff name, email or
// phone number of the original export appears in the snapshot's export —
// also where a record's free text names someone only another record
// introduces (TPII2 names TPII1's customer and assignee, and a simulated
// customer not its own) —
// the snapshot passes check, and every KPI, breakdown and NPS-revenue
// figure equals the original's.
func TestMaskedSnapshot(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	// Plant personal data in free text, as customers write it.
	lines := `{"kind":"ticket","id":"TPII1","status":"new","type":"complaint","subtype":"late_delivery","source":"email","priority":"high","department":"customer_care","assignee":"Tran Thi Mai","customer_id":"C-nguyen.van.an","segment":"vip","touchpoint":"delivery","subject":"Late order, call me on 0912 345 678","created_at":"2026-10-31T10:00:00Z","first_response_at":null,"resolved_at":null,"sla_due_at":"2026-11-01T10:00:00Z","escalated":false,"updated_at":"2026-10-31T10:00:00Z","system":"sim","external_id":"TPII1","description":"My name is Nguyen Van An, write to an.nguyen@example.com or +84 912 345 679.","tags":[],"version":1,"history":[{"at":"2026-10-31T10:00:00Z","by":"Tran Thi Mai","field":"note","old":"","new":"called the customer at 0987 654 321"}]}
{"kind":"ticket","id":"TPII2","status":"new","type":"complaint","subtype":"late_delivery","source":"email","priority":"high","department":"customer_care","assignee":"","customer_id":"C000344","segment":"vip","touchpoint":"delivery","subject":"Same as NGUYEN VAN AN and C-nguyen.van.an last week","created_at":"2026-10-31T11:00:00Z","first_response_at":null,"resolved_at":null,"sla_due_at":"2026-11-01T11:00:00Z","escalated":false,"updated_at":"2026-10-31T11:00:00Z","system":"sim","external_id":"TPII2","description":"Tran Thi Mai handled C000211's order too.","tags":[],"version":1,"history":[{"at":"2026-10-31T11:00:00Z","by":"system","field":"note","old":"","new":"ask Tran Thi Mai; see Nguyen Van An's ticket"}]}
{"kind":"feedback","id":"FPII1","survey":"nps","score":3,"at":"2026-10-31T12:00:00Z","customer_id":"C-nguyen.van.an","segment":"vip","touchpoint":"delivery","ticket_id":null,"sentiment":null,"survey_kind":"transactional","channel":"email","comment":"Reach me at an.nguyen@example.com"}
`
	extra := filepath.Join(dir, "pii.jsonl")
	os.WriteFile(extra, []byte(lines), 0o600)
	if r := cxtop(t, nil, "import", "--db", db, extra); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	masked := filepath.Join(dir, "masked.db")
	r := cxtop(t, nil, "snapshot", "--db", db, "--out", masked, "--mask")
	if r.code != 0 {
		t.Fatalf("snapshot --mask: %+v", r)
	}
	c := cxtop(t, nil, "check", "--db", masked)
	if c.code != 0 || !strings.Contains(c.out, "personal data masked") {
		t.Fatalf("check of the masked snapshot: %+v", c)
	}
	exp := cxtop(t, nil, "export", "--db", masked).out
	secrets := personal(t, db, "an.nguyen@example.com", "0912 345 678", "912 345 679", "0987 654 321", "Nguyen Van An", "NGUYEN VAN AN")
	if len(secrets) < 20 {
		t.Fatalf("only %d personal strings in the original: the test proves little", len(secrets))
	}
	for _, s := range secrets {
		if strings.Contains(exp, s) {
			t.Errorf("the masked export still holds %q", s)
		}
	}
	if !strings.Contains(exp, `"id":"TPII1"`) || strings.Count(exp, "\n") != strings.Count(cxtop(t, nil, "export", "--db", db).out, "\n") {
		t.Fatal("the masked snapshot lost records")
	}
	for _, args := range [][]string{
		{"kpi", "--at", simEnd, "--window", "7d", "--json"},
		{"kpi", "--at", simEnd, "--window", "30d", "--json"},
		{"kpi", "--at", simEnd, "--window", "7d", "--by", "segment", "--json"},
		{"nps-revenue", "--at", simEnd, "--window", "30d", "--json"},
	} {
		a, b := cxtop(t, nil, append(args, "--db", db)...), cxtop(t, nil, append(args, "--db", masked)...)
		if a.code != 0 || a.out != b.out {
			t.Errorf("%v differs on the masked snapshot:\noriginal %s%s\nmasked   %s%s", args, a.out, a.errOut, b.out, b.errOut)
		}
	}
}
