package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cxtop/cxtop/store/deliver/delivertest"
	"github.com/cxtop/cxtop/store/replica/zdfake"
)

var zdT0 = time.Date(2026, 10, 20, 8, 0, 0, 0, time.UTC)

// zdAccount fills a fake Zendesk with tickets of every status, ratings,
// names and metrics; skip names a ticket it leaves out (a store that never
// held it). The clock is set per ticket, so two accounts built alike give
// byte-identical tickets.
func zdAccount(skip int) *zdfake.Server {
	z := zdfake.New(zdT0)
	z.User(501, "Lan Nguyen")
	z.User(502, "Minh Tran")
	z.Group(31, "Billing")
	z.Group(32, "Logistics")
	statuses := []string{"new", "open", "pending", "solved", "closed", "hold"}
	prios := []any{"low", "normal", "high", "urgent", nil}
	for i := 1; i <= 30; i++ {
		if i == skip {
			continue
		}
		at := zdT0.Add(time.Duration(i) * time.Hour)
		z.SetClock(at)
		st := statuses[i%len(statuses)]
		t := zdfake.Ticket{"id": 1000 + i, "status": st, "priority": prios[i%len(prios)], "type": []any{"question", "incident", "problem", nil}[i%4],
			"subject": fmt.Sprintf("Order %d", i), "requester_id": 9000 + i%7, "assignee_id": 501 + i%2, "group_id": 31 + i%2,
			"tags": []any{[]string{"late_delivery", "vip", "app_bug", "refund_delay"}[i%4]}, "via": map[string]any{"channel": []string{"email", "web", "chat", "voice"}[i%4]},
			"created_at": at.Add(-3 * time.Hour).Format(time.RFC3339)}
		if st == "solved" || st == "closed" {
			t["satisfaction_rating"] = map[string]any{"id": 7000 + i, "score": []string{"good", "bad"}[i%2], "comment": "thanks"}
			z.Metrics(int64(1000+i), 20+i, 90+i, at.Add(-time.Hour).Format(time.RFC3339))
		} else if st != "new" {
			z.Metrics(int64(1000+i), 15, nil, nil)
		}
		z.Put(t)
	}
	return z
}

func mustRun(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("cxtop %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func zdKPIJSON(t *testing.T, db string) string {
	t.Helper()
	r := cxtop(t, nil, "kpi", "--db", db, "--at", "2026-10-23T00:00:00Z", "--window", "30d", "--json")
	if r.code != 0 {
		t.Fatalf("kpi %s: %s", db, r.errOut)
	}
	return r.out
}

// After a Zendesk ticket is deleted, the KPIs are those of a store that
// never held it, and check is clean.
func TestZendeskDeletionLeavesTheKPIsOfANeverHeldStore(t *testing.T) {
	const victim = 6 // solved, rated, with metrics
	held, never := zdAccount(0), zdAccount(victim)
	defer held.Close()
	defer never.Close()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "held.db"), filepath.Join(dir, "never.db")
	env := cleanEnv(t)
	sync := func(z *zdfake.Server, db string) {
		mustRun(t, env, "sync", "--source", "zendesk", "--remote", z.URL, "--token", "agent@example.com/token:abc", "--db", db, "--once", "--page-size", "7")
	}
	sync(held, a)
	if !strings.Contains(zdKPIJSON(t, a), "csat") {
		t.Fatal("kpi --json has no csat")
	}
	held.SetClock(zdT0.Add(40 * time.Hour))
	held.Delete(int64(1000 + victim))
	sync(held, a)
	sync(never, b)
	if ka, kb := zdKPIJSON(t, a), zdKPIJSON(t, b); ka != kb {
		t.Fatalf("KPIs after the deletion differ from a store that never held the ticket:\n%s\n%s", ka, kb)
	}
	for _, db := range []string{a, b} {
		if r := cxtop(t, nil, "check", "--db", db); r.code != 0 {
			t.Fatalf("check %s: %s%s", db, r.out, r.errOut)
		}
	}
	st := cxtop(t, nil, "sync", "status", "--db", a, "--json")
	var s struct{ Deleted, Records int }
	if err := json.Unmarshal([]byte(st.out), &s); err != nil || s.Deleted != 2 {
		t.Fatalf("sync status: %s (%v)", st.out, err)
	}
	// Names from the side-loads, not numbers.
	tk := cxtop(t, nil, "tickets", "--db", a, "--json", "--limit", "100")
	if !strings.Contains(tk.out, `"Billing"`) && !strings.Contains(tk.out, `"department":"Billing"`) {
		t.Fatalf("tickets show no Zendesk group names:\n%.500s", tk.out)
	}
}

// A console replica of `cxtop hub --source zendesk` ends with the export a
// direct Zendesk sync gives, and Zendesk is read once for all of them.
func TestHubFromZendeskServesWhatZendeskHolds(t *testing.T) {
	z := zdAccount(0)
	defer z.Close()
	dir := t.TempDir()
	hubDB, viaHub, direct := filepath.Join(dir, "hub.db"), filepath.Join(dir, "replica.db"), filepath.Join(dir, "direct.db")
	url, stop := startHub(t, hubDB, "--source", "zendesk", "--remote", z.URL, "--remote-token", "oauth-token")
	// Wait until the hub has replicated the account.
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(url + "/v1/changes?limit=5000")
		if err == nil {
			var p struct{ Records []json.RawMessage }
			json.NewDecoder(resp.Body).Decode(&p)
			resp.Body.Close()
			if len(p.Records) >= 30 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the hub did not replicate the Zendesk account in 20s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	before := len(z.Queries)
	env := cleanEnv(t)
	for range 3 { // three consoles
		os.Remove(viaHub)
		mustRun(t, env, "sync", "--remote", url, "--db", viaHub, "--once")
	}
	if len(z.Queries) != before {
		t.Errorf("consoles of the hub read Zendesk's export %d times", len(z.Queries)-before)
	}
	stop()
	mustRun(t, env, "sync", "--source", "zendesk", "--remote", z.URL, "--token", "oauth-token", "--db", direct, "--once")
	a, b := exportSet(t, viaHub), exportSet(t, direct)
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Fatalf("the replica of the hub differs from a direct Zendesk sync:\n%d lines vs %d\n%s\n---\n%s", len(a), len(b), firstDiff(a, b), "")
	}
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return a[i] + "\n" + b[i]
		}
	}
	return ""
}

// The deliverer killed with SIGKILL at random instants: every request ends
// delivered once (the receiver keeps one per idempotency key), the store
// checks clean, and an email never goes out twice.
func TestContactDeliverySurvivesKill9(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cx.db")
	env := cleanEnv(t)
	mustRun(t, env, "simulate", "--db", db, "--days", "3", "--seed", "7")
	mustRun(t, env, "alerts", "--db", db) // runs the automations: queues the contact requests
	var queued []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(mustRun(t, env, "contacts", "--db", db, "--json", "--status", "queued")), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil {
			queued = append(queued, m)
		}
	}
	if len(queued) < 10 {
		t.Fatalf("only %d contact requests queued", len(queued))
	}
	rx := delivertest.NewWebhook("hook-secret")
	defer rx.Close()
	smtpSrv, err := delivertest.NewSMTP()
	if err != nil {
		t.Fatal(err)
	}
	defer smtpSrv.Close()
	host, port, _ := strings.Cut(smtpSrv.Addr, ":")
	zalo := delivertest.NewZalo("oa-token")
	defer zalo.Close()
	// A directory with an address for every customer.
	var dirLines []string
	seen := map[string]bool{}
	for _, q := range queued {
		c, _ := q["customer_id"].(string)
		if !seen[c] {
			seen[c] = true
			dirLines = append(dirLines, fmt.Sprintf(`{"customer_id":%q,"name":"Khách","email":"%s@example.com","phone":"0912345678"}`, c, strings.ToLower(c)))
		}
	}
	dirFile := filepath.Join(dir, "customers.jsonl")
	os.WriteFile(dirFile, []byte(strings.Join(dirLines, "\n")+"\n"), 0o600)
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`[contacts]
directory = %q
max_attempts = 10
backoff = "1s"
[contacts.route]
email = "email"
zalo_zns = "zalo"
sms = "webhook"
[contacts.webhook]
url = %q
[contacts.email]
host = %q
port = %s
from = "care@shop.example"
tls = "none"
[contacts.zalo]
url = %q
templates = { follow_up = "101", survey = "102", escalation_notice = "103", form_reminder = "104" }
`, dirFile, rx.URL, host, port, zalo.URL+"/message/template")), 0o600)
	denv := append(env, "CXTOP_WEBHOOK_SECRET=hook-secret", "CXTOP_ZALO_TOKEN=oa-token")
	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	for round := range 6 {
		cmd := exec.Command(binary, "contacts", "deliver", "--db", db, "--config", cfg, "--interval", "1s")
		cmd.Env = denv
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(30+rng.IntN(250)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		_ = round
	}
	final := exec.Command(binary, "contacts", "deliver", "--db", db, "--config", cfg, "--once")
	final.Env = denv
	if out, err := final.CombinedOutput(); err != nil {
		t.Fatalf("deliver --once: %v\n%s", err, out)
	}
	got, bad := rx.Received()
	if bad != 0 {
		t.Fatalf("%d webhook posts with a bad signature", bad)
	}
	mails := map[string]int{}
	for _, m := range smtpSrv.Mails() {
		for _, l := range strings.Split(m.Data, "\n") {
			if k, ok := strings.CutPrefix(strings.TrimSpace(l), "X-Cxtop-Request: "); ok {
				mails[k]++
			}
		}
	}
	for _, m := range zalo.Messages() {
		mails[m.TrackingID]++ // tracking_id is the request key
	}
	for k, n := range mails {
		if n != 1 {
			t.Errorf("%s went out %d times", k, n)
		}
	}
	var states []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(mustRun(t, env, "contacts", "--db", db, "--json")), "\n") {
		var m map[string]any
		json.Unmarshal([]byte(l), &m)
		states = append(states, m)
	}
	if len(states) != len(queued) {
		t.Fatalf("%d requests after delivery, %d queued before", len(states), len(queued))
	}
	count := map[string]int{}
	for _, s := range states {
		count[s["status"].(string)]++
	}
	t.Logf("%d requests: %v; webhook keys %d, emails and ZNS %d", len(states), count, len(got), len(mails))
	for _, s := range states {
		key, status := s["key"].(string), s["status"].(string)
		switch status {
		case "delivered":
			if got[key] == 0 {
				t.Errorf("%s is delivered but the receiver never had it", key)
			}
		case "sent":
			if mails[key] != 1 {
				t.Errorf("%s is sent but went out %d times", key, mails[key])
			}
		case "failed":
			if !strings.Contains(s["reason"].(string), "interrupted") || mails[key] > 1 {
				t.Errorf("%s failed: %v", key, s["reason"])
			}
		default:
			t.Errorf("%s ended %s: %v", key, status, s["reason"])
		}
	}
	if r := cxtop(t, nil, "check", "--db", db); r.code != 0 {
		t.Fatalf("check: %s", r.out)
	}
	// The outbox holds nothing more: every request reached a final state.
	var ss struct{ Pending int }
	if err := json.Unmarshal([]byte(mustRun(t, env, "sync", "status", "--db", db, "--json")), &ss); err != nil || ss.Pending != 0 {
		t.Fatalf("outbox after delivery: %d pending (%v)", ss.Pending, err)
	}
}

// forget erases a customer's personal data and keeps every KPI.
func TestForgetKeepsTheKPIs(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cx.db")
	env := cleanEnv(t)
	mustRun(t, env, "simulate", "--db", db, "--days", "10", "--seed", "3")
	tickets := cxtop(t, nil, "tickets", "--db", db, "--json", "--limit", "1")
	var first []map[string]any
	if err := json.Unmarshal([]byte(tickets.out), &first); err != nil || len(first) == 0 {
		var one map[string]any
		if json.Unmarshal([]byte(strings.SplitN(tickets.out, "\n", 2)[0]), &one) != nil {
			t.Fatalf("tickets --json: %.300s", tickets.out)
		}
		first = []map[string]any{one}
	}
	customer, _ := first[0]["customer_id"].(string)
	at := "--at"
	kpi := func() string {
		r := cxtop(t, nil, "kpi", "--db", db, at, time.Now().UTC().Format("2006-01-02"), "--window", "30d", "--json")
		if r.code != 0 {
			t.Fatal(r.errOut)
		}
		return r.out
	}
	before := kpi()
	out := mustRun(t, env, "forget", "--db", db, "--customer", customer)
	if !strings.Contains(out, "erased from") {
		t.Fatalf("forget: %s", out)
	}
	if after := kpi(); after != before {
		t.Fatalf("KPIs changed:\n%s\n%s", before, after)
	}
	if r := cxtop(t, nil, "check", "--db", db); r.code != 0 {
		t.Fatalf("check: %s", r.out)
	}
	if exp := strings.Join(exportSet(t, db), "\n"); strings.Contains(exp, `"`+customer+`"`) {
		t.Fatalf("the export still names %s", customer)
	}
	wantOneLineError(t, cxtop(t, nil, "forget", "--db", db, "--customer", customer), 1, "has no records")
}

// `cxtop sync` from Zendesk killed with SIGKILL at random instants (with a
// 429 on the way) resumes and ends with the store a clean sync gives.
func TestZendeskSyncSurvivesKill9(t *testing.T) {
	z := zdAccount(0)
	defer z.Close()
	z.Fail429 = map[int]bool{3: true, 9: true}
	dir := t.TempDir()
	db, clean := filepath.Join(dir, "killed.db"), filepath.Join(dir, "clean.db")
	env := cleanEnv(t)
	rng := rand.New(rand.NewPCG(2, uint64(time.Now().UnixNano())))
	for range 5 {
		cmd := exec.Command(binary, "sync", "--source", "zendesk", "--remote", z.URL, "--token", "t", "--db", db, "--page-size", "2", "--interval", "100ms")
		cmd.Env = env
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(20+rng.IntN(200)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	mustRun(t, env, "sync", "--source", "zendesk", "--remote", z.URL, "--token", "t", "--db", db, "--once")
	mustRun(t, env, "sync", "--source", "zendesk", "--remote", z.URL, "--token", "t", "--db", clean, "--once")
	if a, b := exportSet(t, db), exportSet(t, clean); strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Fatalf("after the kills the store differs from a clean sync:\n%s", firstDiff(a, b))
	}
	if r := cxtop(t, nil, "check", "--db", db); r.code != 0 {
		t.Fatalf("check: %s", r.out)
	}
}

// A rule's hook and webhook run once per firing, from the evaluating
// command, with the alert as JSON; running the rules again runs nothing.
func TestAlertHookAndWebhookRunOncePerFiring(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cx.db")
	env := cleanEnv(t)
	mustRun(t, env, "simulate", "--db", db, "--days", "3", "--seed", "7")
	rx := delivertest.NewWebhook("alert-secret")
	defer rx.Close()
	log := filepath.Join(dir, "hook.log")
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`[alerts]
webhook = %q
hook = "cat >> '%s'"
[[alerts.rule]]
id = "bot_low_rating"
actions = ["bell", "hook", "webhook"]
[[alerts.rule]]
id = "nps_below_target"
actions = ["bell"]
`, rx.URL, log)), 0o600)
	aenv := append(env, "CXTOP_ALERT_WEBHOOK_SECRET=alert-secret")
	for range 2 {
		mustRun(t, aenv, "alerts", "--db", db, "--config", cfg)
	}
	b, _ := os.ReadFile(log)
	var fired []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var m struct {
			Type  string
			Alert struct{ Key, Rule string }
		}
		if err := json.Unmarshal([]byte(l), &m); err != nil || m.Type != "alert" || m.Alert.Rule != "bot_low_rating" {
			t.Fatalf("hook stdin line %q: %v", l, err)
		}
		fired = append(fired, m.Alert.Key)
	}
	got, bad := rx.Received()
	if len(fired) == 0 || len(got) != len(fired) || bad != 0 {
		t.Fatalf("hook ran for %d firings, webhook got %d keys (%d bad)", len(fired), len(got), bad)
	}
	for k, n := range got {
		if n != 1 {
			t.Errorf("webhook %s posted %d times", k, n)
		}
	}
}
