package deliver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strconv"
	"time"

	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
)

// AlertActions runs the "webhook" and "hook" actions of the rules that fire,
// once per firing, in the process that holds the store (the one that
// evaluates the rules), never once per console session. Firings come from
// the store (store.Firing), so a restart neither loses nor repeats one: a
// firing is dropped in the same transaction before its actions run (a
// crash at that instant skips them rather than running them twice).
type AlertActions struct {
	Store *store.Store
	Rules []alert.Rule
	// Webhook receives {"type": "alert", "alert": {...}}, signed; its
	// idempotency key is "alert/<key>/<fired at>".
	Webhook *Webhook
	// Hook is run with "sh -c"; it gets the alert's JSON on stdin and
	// CXTOP_ALERT_KEY, CXTOP_ALERT_RULE, CXTOP_ALERT_SEVERITY in its
	// environment. It must finish within HookTimeout (default 30s).
	Hook        string
	HookTimeout time.Duration
	Logf        func(format string, args ...any)
}

// Once handles every pending firing and reports how many actions ran.
func (x *AlertActions) Once(ctx context.Context) (int, error) {
	logf := x.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	rules := map[string]alert.Rule{}
	for _, r := range x.Rules {
		rules[r.ID] = r
	}
	ran := 0
	for {
		fs, err := x.Store.Firings(0, 100)
		if err != nil || len(fs) == 0 {
			return ran, err
		}
		for _, f := range fs {
			if _, err := x.Store.Update(func(w *store.Writer) error { return w.DropFiring(f.Seq) }); err != nil {
				return ran, err
			}
			r := rules[f.Alert.Rule]
			body, err := json.Marshal(map[string]any{"type": "alert", "alert": f.Alert})
			if err != nil {
				return ran, err
			}
			if r.Has(alert.ActionWebhook) && x.Webhook != nil {
				key := "alert/" + f.Alert.Key + "/" + strconv.FormatInt(f.Alert.FiredAt.Unix(), 10)
				if err := x.post(ctx, key, body); err != nil {
					logf("alert %s: webhook: %v", f.Alert.Key, err)
				} else {
					ran++
				}
			}
			if r.Has(alert.ActionHook) && x.Hook != "" {
				if err := x.runHook(ctx, f.Alert, body); err != nil {
					logf("alert %s: hook: %v", f.Alert.Key, err)
				} else {
					ran++
				}
			}
		}
	}
}

// post tries the webhook a few times: the key lets the receiver drop a repeat.
func (x *AlertActions) post(ctx context.Context, key string, body []byte) error {
	var err error
	for try := range 3 {
		if _, err = x.Webhook.Post(ctx, key, body); err == nil || !classify(err).Temporary {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(1<<try) * time.Second):
		}
	}
	return err
}

func (x *AlertActions) runHook(ctx context.Context, a alert.Alert, body []byte) error {
	timeout := x.HookTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", x.Hook)
	cmd.Stdin = bytes.NewReader(append(body, '\n'))
	cmd.Env = append(cmd.Environ(), "CXTOP_ALERT_KEY="+a.Key, "CXTOP_ALERT_RULE="+a.Rule, "CXTOP_ALERT_SEVERITY="+a.Severity)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%v: %s", err, clip(string(bytes.TrimSpace(out.Bytes()))))
	}
	return nil
}

// Run handles firings until ctx ends: at start, after each commit that
// wrote an alert, and every minute.
func (x *AlertActions) Run(ctx context.Context) {
	sub := x.Store.Subscribe()
	defer sub.Cancel()
	for {
		x.Once(ctx)
		t := time.NewTimer(time.Minute)
	wait:
		for {
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
				break wait
			case <-sub.C:
				if sub.Take().Alerts {
					t.Stop()
					break wait
				}
			}
		}
	}
}
