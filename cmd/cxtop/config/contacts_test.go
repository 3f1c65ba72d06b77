package config

import (
	"strings"
	"testing"
	"time"
)

func TestContactsSection(t *testing.T) {
	s, err := Parse("c.toml", []byte(`
[contacts]
max_attempts = 7
backoff = "30s"
quiet_hours = "21:00-08:00"
timezone = "Asia/Ho_Chi_Minh"
max_per_customer = 2
[contacts.route]
sms = "webhook"
[contacts.webhook]
url = "https://crm.example.com/hook"
[contacts.zalo]
templates = { follow_up = "231045" }
`))
	if err != nil {
		t.Fatal(err)
	}
	c := s.Contacts
	if c.MaxAttempts != 7 || c.Backoff.Duration != 30*time.Second || c.Route["sms"] != "webhook" || c.Zalo.Templates["follow_up"] != "231045" {
		t.Fatalf("contacts %+v", c)
	}
}

func TestContactsAndAlertActionsErrors(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"[contacts]\nquiet_hours = \"late\"", `contacts.quiet_hours "late": want HH:MM-HH:MM`},
		{"[contacts]\ntimezone = \"Mars/Olympus\"", `contacts.timezone "Mars/Olympus"`},
		{"[contacts]\nmax_attempts = 1000", "contacts.max_attempts 1000: use 1 to 100"},
		{"[contacts.route]\npigeon = \"webhook\"", `contacts.route.pigeon: channel "pigeon"`},
		{"[contacts.route]\nsms = \"fax\"", `contacts.route.sms "fax": use one of webhook, email, zalo`},
		{"[contacts.webhook]\nurl = \"ftp://x\"", `contacts.webhook.url "ftp://x"`},
		{"[contacts.webhook]\nsecret = \"s3cret\"", "unknown key contacts.webhook.secret"},
		{"[contacts.email]\nhost = \"smtp.example.com\"", "contacts.email.from: required"},
		{"[contacts.zalo]\ntemplates = { welcome = \"1\" }", "contacts.zalo.templates.welcome: not a request kind"},
		{"[[alerts.rule]]\nid = \"csat_drop\"\nactions = [\"siren\"]", `actions: "siren" is not known: use bell, webhook or hook`},
		{"[[alerts.rule]]\nid = \"csat_drop\"\nactions = [\"webhook\"]", "webhook needs alerts.webhook"},
		{"[alerts]\nwebhook = \"mailto:x\"", `alerts webhook "mailto:x"`},
	} {
		_, err := Parse("c.toml", []byte(tc.body))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err %v, want %q", tc.body, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error is not one line", tc.body)
		}
	}
}

func TestSecretComesFromEnvOrFile(t *testing.T) {
	env := map[string]string{"CXTOP_SMTP_PASSWORD": "from-env"}
	get := func(k string) string { return env[k] }
	if v, _ := Secret(get, "", "CXTOP_SMTP_PASSWORD", ""); v != "from-env" {
		t.Fatalf("env: %q", v)
	}
	if _, err := Secret(get, "OTHER", "", "/no/such/file"); err == nil || strings.Contains(err.Error(), "from-env") {
		t.Fatalf("missing file: %v", err)
	}
}
