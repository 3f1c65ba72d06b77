package config

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
)

// Contacts is the [contacts] section: how the origin store's contact
// requests are delivered (docs/contacts.md). Secrets are never written
// here: each names the environment variable or the file that holds it.
type Contacts struct {
	MaxAttempts    int               `toml:"max_attempts"`     // tries before the dead-letter (default 5)
	Backoff        model.Duration    `toml:"backoff"`          // first retry wait, doubling (default 1m)
	MaxBackoff     model.Duration    `toml:"max_backoff"`      // default 1h
	QuietHours     string            `toml:"quiet_hours"`      // "21:00-08:00", local to timezone
	Timezone       string            `toml:"timezone"`         // IANA name (default UTC)
	MaxPerCustomer int               `toml:"max_per_customer"` // messages per customer per cap_window (0: no cap)
	CapWindow      model.Duration    `toml:"cap_window"`       // default 24h
	Directory      string            `toml:"directory"`        // JSON Lines: customer_id, name, email, phone
	Route          map[string]string `toml:"route"`            // channel → driver (webhook, email, zalo)
	Webhook        ContactWebhook    `toml:"webhook"`
	Email          ContactEmail      `toml:"email"`
	Zalo           ContactZalo       `toml:"zalo"`
}

// ContactWebhook is [contacts.webhook].
type ContactWebhook struct {
	URL        string `toml:"url"`
	SecretEnv  string `toml:"secret_env"`  // default CXTOP_WEBHOOK_SECRET
	SecretFile string `toml:"secret_file"` // or a file holding it
}

// ContactEmail is [contacts.email]: an SMTP relay.
type ContactEmail struct {
	Host         string `toml:"host"`
	Port         int    `toml:"port"` // default 587
	Username     string `toml:"username"`
	PasswordEnv  string `toml:"password_env"` // default CXTOP_SMTP_PASSWORD
	PasswordFile string `toml:"password_file"`
	From         string `toml:"from"`
	TLS          string `toml:"tls"` // starttls (default), opportunistic, tls, none
}

// ContactZalo is [contacts.zalo]: ZNS with an OA access token.
type ContactZalo struct {
	URL       string            `toml:"url"`        // default the ZNS template endpoint
	TokenEnv  string            `toml:"token_env"`  // default CXTOP_ZALO_TOKEN
	TokenFile string            `toml:"token_file"` // or a file holding it
	Templates map[string]string `toml:"templates"`  // request kind → template_id
}

// Drivers and channels the route may name.
var (
	ContactDrivers  = []string{"webhook", "email", "zalo"}
	ContactChannels = []string{alert.ChannelEmail, alert.ChannelZaloZNS, alert.ChannelSMS}
	contactPurposes = []string{alert.PurposeFollowUp, alert.PurposeSurvey, alert.PurposeEscalation, alert.PurposeFormReminder}
)

func (c Contacts) check() error {
	if c.MaxAttempts < 0 || c.MaxAttempts > 100 {
		return fmt.Errorf("contacts.max_attempts %d: use 1 to 100", c.MaxAttempts)
	}
	for name, d := range map[string]model.Duration{"backoff": c.Backoff, "max_backoff": c.MaxBackoff, "cap_window": c.CapWindow} {
		if d.Duration < 0 || d.Duration > 30*24*time.Hour {
			return fmt.Errorf("contacts.%s %s: use 0 to 720h", name, d.Duration)
		}
	}
	if c.MaxPerCustomer < 0 || c.MaxPerCustomer > 1000 {
		return fmt.Errorf("contacts.max_per_customer %d: use 0 (no cap) to 1000", c.MaxPerCustomer)
	}
	if c.Timezone != "" {
		if _, err := time.LoadLocation(c.Timezone); err != nil {
			return fmt.Errorf("contacts.timezone %q: use an IANA name such as Asia/Ho_Chi_Minh", c.Timezone)
		}
	}
	if _, err := c.QuietClock(); err != nil {
		return err
	}
	for ch, drv := range c.Route {
		if !contains(ContactChannels, ch) {
			return fmt.Errorf("contacts.route.%s: channel %q is not one of %s", ch, ch, strings.Join(ContactChannels, ", "))
		}
		if !contains(ContactDrivers, drv) {
			return fmt.Errorf("contacts.route.%s %q: use one of %s", ch, drv, strings.Join(ContactDrivers, ", "))
		}
	}
	if u := c.Webhook.URL; u != "" {
		if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.User != nil {
			return fmt.Errorf("contacts.webhook.url %q: use an http:// or https:// URL without credentials", u)
		}
	}
	if u := c.Zalo.URL; u != "" {
		if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return fmt.Errorf("contacts.zalo.url %q: use an https:// URL", u)
		}
	}
	for k := range c.Zalo.Templates {
		if !contains(contactPurposes, k) {
			return fmt.Errorf("contacts.zalo.templates.%s: not a request kind (%s)", k, strings.Join(contactPurposes, ", "))
		}
	}
	switch c.Email.TLS {
	case "", "starttls", "opportunistic", "tls", "none":
	default:
		return fmt.Errorf("contacts.email.tls %q: use starttls, opportunistic, tls or none", c.Email.TLS)
	}
	if c.Email.Port < 0 || c.Email.Port > 65535 {
		return fmt.Errorf("contacts.email.port %d: use 1 to 65535", c.Email.Port)
	}
	if c.Email.Host != "" && c.Email.From == "" {
		return fmt.Errorf("contacts.email.from: required with contacts.email.host (the sender address)")
	}
	return nil
}

// QuietClock returns the quiet hours as "HH:MM-HH:MM" checked ("" none).
func (c Contacts) QuietClock() (string, error) {
	q := strings.TrimSpace(c.QuietHours)
	if q == "" {
		return "", nil
	}
	a, b, ok := strings.Cut(q, "-")
	var h1, m1, h2, m2 int
	_, err1 := fmt.Sscanf(strings.TrimSpace(a), "%d:%d", &h1, &m1)
	_, err2 := fmt.Sscanf(strings.TrimSpace(b), "%d:%d", &h2, &m2)
	if !ok || err1 != nil || err2 != nil || h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59 || h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0 {
		return "", fmt.Errorf("contacts.quiet_hours %q: want HH:MM-HH:MM, such as 21:00-08:00", c.QuietHours)
	}
	return q, nil
}

// Secret reads a secret from the environment variable env (getenv) or,
// when that is empty, from file (private, see ReadSecretFile). It is never printed: errors name only
// where it was looked for.
func Secret(getenv func(string) string, env, defEnv, file string) (string, error) {
	if env == "" {
		env = defEnv
	}
	if v := getenv(env); v != "" {
		return v, nil
	}
	if file == "" {
		return "", nil
	}
	return ReadSecretFile("secret file", file)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
