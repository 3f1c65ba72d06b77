package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/cmd/cxtop/config"
	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/deliver"
)

func (a *app) contactsCommand() *cobra.Command {
	var (
		status string
		ticket string
		asJSON bool
		limit  int
	)
	cmd := &cobra.Command{
		Use:   "contacts",
		Short: "List the contact requests (follow-ups, surveys, notices, reminders) and their delivery",
		Long: `List the store's contact requests with their delivery status: queued, sending, sent,
delivered, failed (with the reason) or dead (every try failed). 'cxtop contacts deliver' sends
them through the drivers of the [contacts] config (docs/contacts.md).`,
		Example: "  cxtop contacts --db hub.db --status failed\n  cxtop contacts --db hub.db --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if status != "" && !slices.Contains(deliver.Statuses, status) {
				return usagef("--status %q is not known: use one of %s", status, strings.Join(deliver.Statuses, ", "))
			}
			if limit < 1 || limit > maxListLimit {
				return usagef("--limit %d is out of range: use 1 to %d", limit, maxListLimit)
			}
			st, err := a.openStore(false)
			if err != nil {
				return err
			}
			defer st.Close()
			all, err := deliver.List(st.Store)
			if err != nil {
				return err
			}
			drivers := a.contactRoute()
			var out []deliver.Request
			for _, r := range all {
				if (status == "" || r.Status == status) && (ticket == "" || r.TicketID == ticket) {
					if r.Status == deliver.StatusQueued && r.Reason == "" && drivers[r.Channel] == "" {
						r.Reason = "no driver configured for channel " + r.Channel
					}
					out = append(out, r)
				}
			}
			if len(out) > limit {
				out = out[len(out)-limit:]
			}
			if asJSON {
				enc := json.NewEncoder(a.io.out)
				for _, r := range out {
					if err := enc.Encode(r); err != nil {
						return err
					}
				}
				return nil
			}
			tw := tabwriter.NewWriter(a.io.out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "AT\tKIND\tCHANNEL\tCUSTOMER\tTICKET\tSTATUS\tTRIES\tREASON")
			for _, r := range out {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", r.At.UTC().Format(time.RFC3339), r.Purpose, r.Channel,
					model.Sanitize(r.CustomerID), model.Sanitize(r.TicketID), r.Status, r.Attempts, model.Sanitize(r.Reason))
			}
			return tw.Flush()
		},
	}
	cmd.AddCommand(a.contactsDeliverCommand())
	fl := cmd.Flags()
	fl.StringVar(&status, "status", "", "only this status: "+strings.Join(deliver.Statuses, ", "))
	fl.StringVar(&ticket, "ticket", "", "only the requests about this ticket")
	fl.BoolVar(&asJSON, "json", false, "one JSON object a line")
	fl.IntVar(&limit, "limit", 1000, "at most this many, the newest")
	return cmd
}

func (a *app) contactsDeliverCommand() *cobra.Command {
	var (
		once     bool
		interval time.Duration
	)
	cmd := &cobra.Command{
		Use:   "deliver",
		Short: "Send the queued contact requests through the configured drivers",
		Long: `Deliver the store's contact requests through the drivers of the [contacts] config: webhook,
email over SMTP, Zalo ZNS. Run it in the process that holds the origin store (the hub runs it
itself): replicas hold no requests. With --once, one round, then exit.`,
		Example: "  CXTOP_WEBHOOK_SECRET=s3cret cxtop contacts deliver --db hub.db --once",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if interval < time.Second || interval > time.Hour {
				return usagef("--interval %s is out of range: use 1s to 1h", interval)
			}
			st, err := a.openStore(true)
			if err != nil {
				return err
			}
			defer st.Close()
			d, err := a.deliverer(st.Store)
			if err != nil {
				return err
			}
			if d == nil {
				return fmt.Errorf("contacts deliver: no driver is configured: set [contacts.webhook], [contacts.email] or [contacts.zalo] (docs/contacts.md)")
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			if !once {
				return d.Run(ctx, interval)
			}
			res, err := d.Once(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.io.err, "cxtop contacts deliver: %d delivered, %d sent, %d failed, %d dead, %d to retry, %d held\n",
				res.Delivered, res.Sent, res.Failed, res.Dead, res.Retried, res.Held)
			return nil
		},
	}
	cmd.Flags().BoolVar(&once, "once", false, "deliver what is due, then exit")
	cmd.Flags().DurationVar(&interval, "interval", 10*time.Second, "time between rounds (retries, quiet hours)")
	return cmd
}

// contactRoute maps each channel to the driver that takes it: the
// configured route, else each channel's own driver when it is configured,
// else the webhook when it is.
func (a *app) contactRoute() map[string]string {
	c := a.cfg.Contacts
	have := map[string]bool{"webhook": c.Webhook.URL != "", "email": c.Email.Host != "", "zalo": len(c.Zalo.Templates) > 0}
	own := map[string]string{"email": "email", "zalo_zns": "zalo"}
	route := map[string]string{}
	for _, ch := range config.ContactChannels {
		switch drv, ok := c.Route[ch]; {
		case ok:
			if have[drv] {
				route[ch] = drv
			}
		case have[own[ch]]:
			route[ch] = own[ch]
		case have["webhook"]:
			route[ch] = "webhook"
		}
	}
	return route
}

// deliverer builds the deliverer of the [contacts] config, with the
// secrets read from the environment or files; nil when no driver is set.
func (a *app) deliverer(st *store.Store) (*deliver.Deliverer, error) {
	c := a.cfg.Contacts
	route := a.contactRoute()
	if len(route) == 0 {
		return nil, nil
	}
	built := map[string]deliver.Driver{}
	for _, name := range route {
		if built[name] != nil {
			continue
		}
		switch name {
		case "webhook":
			secret, err := config.Secret(a.getenv, c.Webhook.SecretEnv, "CXTOP_WEBHOOK_SECRET", c.Webhook.SecretFile)
			if err != nil {
				return nil, fmt.Errorf("contacts.webhook: %w", err)
			}
			if secret == "" {
				return nil, fmt.Errorf("contacts.webhook: no signing secret: set $CXTOP_WEBHOOK_SECRET (or contacts.webhook.secret_env / secret_file)")
			}
			built[name] = &deliver.Webhook{URL: c.Webhook.URL, Secret: []byte(secret)}
		case "email":
			pw, err := config.Secret(a.getenv, c.Email.PasswordEnv, "CXTOP_SMTP_PASSWORD", c.Email.PasswordFile)
			if err != nil {
				return nil, fmt.Errorf("contacts.email: %w", err)
			}
			port := c.Email.Port
			if port == 0 {
				port = 587
			}
			built[name] = &deliver.Email{Host: c.Email.Host, Port: port, Username: c.Email.Username, Password: pw, From: c.Email.From, TLS: c.Email.TLS}
		case "zalo":
			tok, err := config.Secret(a.getenv, c.Zalo.TokenEnv, "CXTOP_ZALO_TOKEN", c.Zalo.TokenFile)
			if err != nil {
				return nil, fmt.Errorf("contacts.zalo: %w", err)
			}
			if tok == "" {
				return nil, fmt.Errorf("contacts.zalo: no OA access token: set $CXTOP_ZALO_TOKEN (or contacts.zalo.token_env / token_file)")
			}
			z := &deliver.Zalo{URL: c.Zalo.URL, Token: tok, Templates: c.Zalo.Templates}
			if file := c.Zalo.TokenFile; file != "" && a.getenv(cmp.Or(c.Zalo.TokenEnv, "CXTOP_ZALO_TOKEN")) == "" {
				// Read again before each send: the OA token's refresh job rewrites the file.
				z.TokenSource = func() (string, error) { return config.ReadSecretFile("contacts.zalo.token_file", file) }
			}
			built[name] = z
		}
	}
	drivers := map[string]deliver.Driver{}
	for ch, name := range route {
		drivers[ch] = built[name]
	}
	opt := deliver.Options{Drivers: drivers, MaxAttempts: c.MaxAttempts, MinBackoff: c.Backoff.Duration, MaxBackoff: c.MaxBackoff.Duration,
		PerCustomer: c.MaxPerCustomer, CapWindow: c.CapWindow.Duration,
		Logf: func(f string, args ...any) { fmt.Fprintf(a.io.err, "cxtop "+f+"\n", args...) }}
	if c.Directory != "" {
		dir, err := deliver.LoadDirectory(c.Directory)
		if err != nil {
			return nil, err
		}
		opt.Directory = dir
	}
	loc := time.UTC
	if c.Timezone != "" {
		loc, _ = time.LoadLocation(c.Timezone) // checked with the config
	}
	q, err := deliver.ParseQuietHours(strings.TrimSpace(c.QuietHours), loc)
	if err != nil {
		return nil, err
	}
	opt.Quiet = q
	return deliver.New(st, opt), nil
}

// cancelContacts fails the queued requests of a forgotten customer.
func cancelContacts(st *store.Store, customer, anon string) (int, error) {
	return deliver.Cancel(st, customer, anon, "cancelled: the customer was forgotten", time.Now())
}

// alertActions is what runs the rules' webhook and hook actions in this
// process, or nil when no rule has one or the store is read-only. The
// webhook is signed with $CXTOP_ALERT_WEBHOOK_SECRET (else
// $CXTOP_WEBHOOK_SECRET).
func (a *app) alertActions(st *store.Store, set alert.Settings, logf func(string, ...any)) *deliver.AlertActions {
	acts := false
	for _, r := range set.Rules {
		acts = acts || r.Has(alert.ActionWebhook) || r.Has(alert.ActionHook)
	}
	if st == nil || st.ReadOnly() || !acts {
		return nil
	}
	x := &deliver.AlertActions{Store: st, Rules: set.Rules, Hook: set.Hook, Logf: logf}
	if set.Webhook != "" {
		secret := a.getenv("CXTOP_ALERT_WEBHOOK_SECRET")
		if secret == "" {
			secret = a.getenv("CXTOP_WEBHOOK_SECRET")
		}
		if secret == "" {
			logf("alerts: alerts.webhook is set but $CXTOP_ALERT_WEBHOOK_SECRET is not: the webhook action is off")
		} else {
			x.Webhook = &deliver.Webhook{URL: set.Webhook, Secret: []byte(secret)}
		}
	}
	return x
}

// runAlertActions runs the rules' webhook and hook actions beside an
// engine that evaluates the rules, until ctx ends or the returned stop is
// called (before the store closes).
func (a *app) runAlertActions(ctx context.Context, st *store.Store, logf func(string, ...any)) (stop func()) {
	set, err := a.alertSettings()
	if err != nil {
		return func() {}
	}
	acts := a.alertActions(st, set, logf)
	if acts == nil {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); acts.Run(ctx) }()
	return func() { cancel(); <-done }
}
