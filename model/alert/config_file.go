package alert

import "github.com/cxtop/cxtop/model"

// Config is the [alerts] section of the config file: the alert rules,
// the routing of new tickets to departments and the automations' horizon.
// FromConfig turns it into rules and checks its values; every key is optional and the defaults apply to what the
// file does not say.
//
//	[alerts]
//	horizon = "72h"            # automations act on records at most this old
//
//	[[alerts.rule]]            # a default rule, by id: only the keys named change
//	id        = "csat_drop"
//	threshold = 0.08           # a drop of 8 percentage points
//	baseline  = "fixed"        # or "trailing_4w" (the default), "previous"
//	baseline_value = 0.88
//
//	[[alerts.rule]]            # a new rule: kpi, op and threshold are required
//	id = "ces_high"  kpi = "ces"  op = "below"  threshold = 4.5  window = "7d"
//
//	[[alerts.route]]           # routes are tried in order before the defaults
//	source = "chatbot"  department = "digital"
type Config struct {
	Rules   []RuleConfig    `toml:"rule"`
	Routes  []model.Route   `toml:"route"`
	Horizon *model.Duration `toml:"horizon"`
	// Webhook and Hook are where the rules' "webhook" and "hook" actions
	// go: a URL (signed like the contact webhook) and a command that gets
	// the alert as JSON on stdin.
	Webhook string `toml:"webhook"`
	Hook    string `toml:"hook"`
}

// RuleConfig is one [[alerts.rule]] entry. Pointers tell "not said"
// from a zero, so a rule with a default id overrides only what it names.
type RuleConfig struct {
	ID         string          `toml:"id"`
	KPI        *string         `toml:"kpi"`
	Op         *string         `toml:"op"`
	Threshold  *float64        `toml:"threshold"`
	Window     *model.Duration `toml:"window"`
	Severity   *string         `toml:"severity"`
	Hysteresis *float64        `toml:"hysteresis"`
	Enabled    *bool           `toml:"enabled"`
	// Actions run when the rule fires: "bell" (a terminal bell and a flash
	// of the alert pane in every console that sees it), "webhook", "hook".
	Actions *[]string `toml:"actions"`
	// Baseline is what a drop is measured from: "previous" (the window
	// before), "trailing_4w" (the four weeks before) or "fixed" (with
	// baseline_value, in the KPI's units).
	Baseline      *string  `toml:"baseline"`
	BaselineValue *float64 `toml:"baseline_value"`
}
