package deliver_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
	. "github.com/cxtop/cxtop/store/deliver"
	"github.com/cxtop/cxtop/store/deliver/delivertest"
)

func TestAlertActionsRunOncePerFiring(t *testing.T) {
	st := openStore(t)
	rx := delivertest.NewWebhook("alert-secret")
	defer rx.Close()
	out := filepath.Join(t.TempDir(), "hook.log")
	rules := []alert.Rule{{ID: "sla_compliance_low", Actions: []string{alert.ActionWebhook, alert.ActionHook}}, {ID: "quiet", Actions: []string{alert.ActionBell}}}
	x := &AlertActions{Store: st, Rules: rules, Webhook: &Webhook{URL: rx.URL, Secret: []byte("alert-secret")},
		Hook: `cat >> "` + out + `"; echo "$CXTOP_ALERT_RULE" >> "` + out + `"`}
	put := func(a alert.Alert) {
		t.Helper()
		if _, err := st.Update(func(w *store.Writer) error { return w.PutAlert(a) }); err != nil {
			t.Fatal(err)
		}
	}
	a := alert.Alert{Key: "sla_compliance_low", Rule: "sla_compliance_low", Severity: alert.Critical, State: alert.Firing,
		Message: "SLA compliance 91% < 95%", FiredAt: t0, UpdatedAt: t0}
	put(a)
	put(alert.Alert{Key: "quiet", Rule: "quiet", State: alert.Firing, FiredAt: t0, UpdatedAt: t0})
	if n, err := x.Once(context.Background()); err != nil || n != 2 {
		t.Fatalf("first round ran %d actions: %v", n, err)
	}
	// Updated, acknowledged: no new firing. Again: nothing to do.
	a.State, a.AckedAt, a.UpdatedAt = alert.Acknowledged, t0.Add(time.Minute), t0.Add(time.Minute)
	put(a)
	if n, _ := x.Once(context.Background()); n != 0 {
		t.Fatalf("an acknowledgement ran %d actions", n)
	}
	// Resolved, then firing again: a second firing.
	a.State, a.ResolvedAt = alert.Resolved, t0.Add(time.Hour)
	put(a)
	a.State, a.FiredAt, a.ResolvedAt, a.AckedAt = alert.Firing, t0.Add(2*time.Hour), time.Time{}, time.Time{}
	put(a)
	if n, _ := x.Once(context.Background()); n != 2 {
		t.Fatalf("a second firing ran %d actions", n)
	}
	got, bad := rx.Received()
	if bad != 0 || len(got) != 2 {
		t.Fatalf("webhook got %v (%d bad)", got, bad)
	}
	log, _ := os.ReadFile(out)
	lines := strings.Split(strings.TrimSpace(string(log)), "\n")
	if len(lines) != 4 || lines[1] != "sla_compliance_low" {
		t.Fatalf("hook log %q", log)
	}
	var body struct {
		Type  string
		Alert alert.Alert
	}
	if err := json.Unmarshal([]byte(lines[0]), &body); err != nil || body.Type != "alert" || body.Alert.Message != a.Message {
		t.Fatalf("hook stdin %q: %v", lines[0], err)
	}
	if fs, _ := st.Firings(0, 10); len(fs) != 0 {
		t.Fatalf("%d firings left", len(fs))
	}
}
