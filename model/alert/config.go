package alert

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/kpi"
)

// Settings are the alert rules and automations a config file gives.
type Settings struct {
	Rules       []Rule
	Automations Automations
	// Webhook and Hook receive the firings of rules with those actions.
	Webhook, Hook string
}

// DefaultSettings are the settings of a config file that says nothing.
func DefaultSettings(tax model.Taxonomy) Settings {
	s, _ := FromConfig(tax, Config{})
	return s
}

// FromConfig turns the [alerts] section into rules and automations: a rule
// with a default id overrides only the keys it names, a new id needs kpi,
// op and threshold. A bad value is an error naming the rule and the key.
func FromConfig(tax model.Taxonomy, cfg Config) (Settings, error) {
	rules := DefaultRules()
	seen := map[string]bool{}
	for i, rc := range cfg.Rules {
		if rc.ID == "" {
			return Settings{}, fmt.Errorf("alerts rule %d: id is required", i+1)
		}
		name := fmt.Sprintf("alerts rule %q", rc.ID)
		if seen[rc.ID] {
			return Settings{}, fmt.Errorf("%s is listed twice: keep one", name)
		}
		seen[rc.ID] = true
		if strings.ContainsAny(rc.ID, "/\x00") || len(rc.ID) > 64 {
			return Settings{}, fmt.Errorf("%s: id: use at most 64 characters without '/'", name)
		}
		at := slices.IndexFunc(rules, func(r Rule) bool { return r.ID == rc.ID })
		r := Rule{ID: rc.ID, Severity: Warning, Window: 24 * time.Hour}
		if at >= 0 {
			r = rules[at]
		} else if rc.KPI == nil || rc.Op == nil || rc.Threshold == nil {
			return Settings{}, fmt.Errorf("%s: a new rule needs kpi, op and threshold", name)
		}
		set(&r.KPI, rc.KPI)
		set(&r.Op, rc.Op)
		set(&r.Threshold, rc.Threshold)
		set(&r.Severity, rc.Severity)
		set(&r.Hysteresis, rc.Hysteresis)
		if rc.Window != nil {
			r.Window = rc.Window.Duration
		}
		set(&r.Baseline, rc.Baseline)
		set(&r.BaselineValue, rc.BaselineValue)
		if r.Baseline == BaselineFixed && rc.BaselineValue == nil && (at < 0 || rules[at].Baseline != BaselineFixed) {
			return Settings{}, fmt.Errorf("%s: baseline fixed needs baseline_value (in the KPI's units, like 0.88 for CSAT)", name)
		}
		if rc.Actions != nil {
			r.Actions = slices.Clone(*rc.Actions)
			for _, act := range r.Actions {
				switch act {
				case ActionBell:
				case ActionWebhook:
					if cfg.Webhook == "" {
						return Settings{}, fmt.Errorf("%s: actions: webhook needs alerts.webhook (the URL)", name)
					}
				case ActionHook:
					if cfg.Hook == "" {
						return Settings{}, fmt.Errorf("%s: actions: hook needs alerts.hook (the command)", name)
					}
				default:
					return Settings{}, fmt.Errorf("%s: actions: %q is not known: use bell, webhook or hook", name, act)
				}
			}
		}
		if err := checkRule(r); err != nil {
			return Settings{}, fmt.Errorf("%s: %w", name, err)
		}
		switch {
		case rc.Enabled != nil && !*rc.Enabled && at >= 0:
			rules = slices.Delete(rules, at, at+1)
		case rc.Enabled != nil && !*rc.Enabled:
		case at >= 0:
			rules[at] = r
		default:
			rules = append(rules, r)
		}
	}
	for i, route := range cfg.Routes {
		if err := tax.CheckRoute(i, route); err != nil {
			return Settings{}, err
		}
	}
	auto := Automations{Taxonomy: tax, Routes: cfg.Routes, Horizon: DefaultHorizon, BotBelow: 3, FollowUpWithin: 24 * time.Hour}
	if h := cfg.Horizon; h != nil {
		if h.Duration < time.Hour || h.Duration > 90*24*time.Hour {
			return Settings{}, fmt.Errorf("alerts horizon %s: use 1h to 90d", h.Duration)
		}
		auto.Horizon = h.Duration
	}
	// The automations act on the same lines as the rules that watch them.
	for _, r := range rules {
		switch r.KPI {
		case BotStars:
			auto.BotBelow = r.Threshold
		case FollowUpWaitHours:
			auto.FollowUpWithin = time.Duration(r.Threshold * float64(time.Hour))
		}
	}
	for i := range rules {
		if rules[i].Actions == nil {
			rules[i].Actions = slices.Clone(DefaultActions)
		}
	}
	if cfg.Webhook != "" && !strings.HasPrefix(cfg.Webhook, "http://") && !strings.HasPrefix(cfg.Webhook, "https://") {
		return Settings{}, fmt.Errorf("alerts webhook %q: use an http:// or https:// URL", cfg.Webhook)
	}
	return Settings{Rules: rules, Automations: auto, Webhook: cfg.Webhook, Hook: cfg.Hook}, nil
}

// isShare reports whether the KPI with id is a share (unit "%").
func isShare(id string) bool {
	for _, d := range kpi.Defs() {
		if d.ID == id {
			return d.Unit == "%"
		}
	}
	return false
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// checkRule reports the first bad value of a rule, naming its key.
func checkRule(r Rule) error {
	known := []string{TicketAgeDays, FollowUpWaitHours, BotStars}
	for _, d := range kpi.Defs() {
		known = append(known, d.ID)
	}
	switch {
	case !slices.Contains(known, r.KPI):
		return fmt.Errorf("kpi %q is not known: use one of %s", r.KPI, strings.Join(known, ", "))
	case r.Op != Below && r.Op != Above && r.Op != Drop:
		return fmt.Errorf("op %q is not known: use below, above or drop", r.Op)
	case r.IsRecordRule() && r.Op == Drop:
		return fmt.Errorf("op drop needs a KPI with a baseline; %s is a record rule: use below or above", r.KPI)
	case math.IsNaN(r.Threshold) || math.IsInf(r.Threshold, 0):
		return fmt.Errorf("threshold must be a number")
	case r.Op == Drop && isShare(r.KPI) && (r.Threshold <= 0 || r.Threshold >= 1):
		return fmt.Errorf("threshold %g: a drop of a share is in percentage points as a fraction, use more than 0 and less than 1 (0.05 = 5 pp)", r.Threshold)
	case r.Op == Drop && r.Threshold <= 0:
		return fmt.Errorf("threshold %g: a drop must be more than 0", r.Threshold)
	case r.Baseline != "" && r.Baseline != BaselinePrevious && r.Baseline != BaselineTrailing4w && r.Baseline != BaselineFixed:
		return fmt.Errorf("baseline %q is not known: use previous, trailing_4w or fixed", r.Baseline)
	case r.Baseline != "" && r.Op != Drop:
		return fmt.Errorf("baseline applies to op drop only: remove it or use op drop")
	case r.IsRecordRule() && r.Threshold <= 0:
		return fmt.Errorf("threshold %g must be positive", r.Threshold)
	case r.Severity != Critical && r.Severity != Warning:
		return fmt.Errorf("severity %q is not known: use critical or warning", r.Severity)
	case r.Hysteresis < 0 || math.IsNaN(r.Hysteresis) || math.IsInf(r.Hysteresis, 0):
		return fmt.Errorf("hysteresis %g: use 0 or more", r.Hysteresis)
	case r.Window < 0:
		return fmt.Errorf("window %s is negative", r.Window)
	}
	if !r.IsRecordRule() {
		if _, err := kpi.NewWindow(time.Unix(0, 0), r.Window); err != nil {
			return err
		}
	}
	return nil
}
