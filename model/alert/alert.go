// Package alert decides when cxtop raises, keeps and resolves alerts: rules
// over KPI reports and over tickets, with thresholds, hysteresis and a
// lifecycle (firing → acknowledged → resolved). It is pure: the store keeps
// the alerts, store/engine runs the rules.
package alert

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cxtop/cxtop/model/kpi"
)

// Alert states.
const (
	Firing       = "firing"
	Acknowledged = "acknowledged"
	Resolved     = "resolved"
)

// Severities.
const (
	Critical = "critical"
	Warning  = "warning"
)

// Alert is one condition that needs action. Key deduplicates: a rule on a
// KPI has one alert, a rule on tickets one per ticket.
type Alert struct {
	Key        string    `json:"key"`
	Rule       string    `json:"rule"`
	Severity   string    `json:"severity"`
	State      string    `json:"state"`
	Message    string    `json:"message"`
	Value      float64   `json:"value"`
	TicketID   string    `json:"ticket_id,omitempty"`
	FiredAt    time.Time `json:"fired_at"`
	AckedAt    time.Time `json:"acked_at,omitzero"`
	AckedBy    string    `json:"acked_by,omitempty"`
	ResolvedAt time.Time `json:"resolved_at,omitzero"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Active reports whether the alert still needs attention.
func (a *Alert) Active() bool { return a.State != Resolved }

// Comparisons a KPI rule can make.
const (
	Below = "below" // fires when the value is below Threshold
	Above = "above" // fires when the value is above Threshold
	// Drop fires when the value fell by more than Threshold below its
	// baseline, in the KPI's delta unit (0.05 is 5 percentage points for a
	// share, 5 points for NPS): the same change the KPI pane shows.
	Drop = "drop"
)

// Baselines a drop rule measures against.
const (
	// BaselinePrevious is the window before the rule's window: a sudden
	// fall.
	BaselinePrevious = "previous"
	// BaselineTrailing4w is the four weeks before the rule's window: a
	// slow decline still fires, where against the previous window each
	// day looks like the one before.
	BaselineTrailing4w = "trailing_4w"
	// BaselineFixed is a value from the config (baseline_value), like the
	// CSAT before the programme.
	BaselineFixed = "fixed"
)

// trailingBaseline is the span of BaselineTrailing4w.
const trailingBaseline = 28 * 24 * time.Hour

// Rule is one alert rule on a KPI.
type Rule struct {
	ID        string
	KPI       string
	Op        string
	Threshold float64
	Window    time.Duration
	Severity  string
	// Hysteresis is how far back past the threshold the value must go
	// before a firing alert resolves, so a value hovering at the line
	// does not flap.
	Hysteresis float64
	// Actions run when it fires (ActionBell, ActionWebhook, ActionHook).
	Actions []string
	// Baseline is what a drop is measured from: BaselinePrevious,
	// BaselineTrailing4w or BaselineFixed (with BaselineValue, in the
	// KPI's units). "" is BaselinePrevious.
	Baseline      string
	BaselineValue float64
}

// BaselineWindow is the span a drop rule reads its baseline over, for a
// rule window w.
func (r Rule) BaselineWindow(w kpi.Window) kpi.Window {
	if r.Baseline == BaselineTrailing4w {
		return kpi.Window{At: w.At.Add(-w.Length), Length: trailingBaseline}
	}
	return w.Previous()
}

// ReportKey names the KPI report a rule reads: rules with the same window
// and baseline span share one.
func (r Rule) ReportKey() string {
	b := BaselinePrevious
	if r.Baseline == BaselineTrailing4w {
		b = r.Baseline
	}
	return r.Window.String() + "/" + b
}

// Reports computes the KPI report of each rule's ReportKey at now.
func Reports(src kpi.Source, rules []Rule, defs []kpi.Def, now time.Time) (map[string]kpi.Report, error) {
	reports := map[string]kpi.Report{}
	src = kpi.WithPrefixSums(src)
	for _, rule := range rules {
		key := rule.ReportKey()
		if _, ok := reports[key]; ok || rule.IsRecordRule() {
			continue
		}
		w, err := kpi.NewWindow(now, rule.Window)
		if err != nil {
			return nil, fmt.Errorf("alert rule %s: %w", rule.ID, err)
		}
		reports[key] = kpi.ComputeAgainst(src, w, rule.BaselineWindow(w), defs, nil)
	}
	return reports, nil
}

// Alert actions a rule may name.
const (
	ActionBell    = "bell"    // every console that sees it fire rings and flashes
	ActionWebhook = "webhook" // POST the alert to Settings.Webhook, once per firing
	ActionHook    = "hook"    // run Settings.Hook with the alert on stdin, once per firing
)

// DefaultActions are the actions of a rule that names none.
var DefaultActions = []string{ActionBell}

// Has reports whether the rule runs action when it fires.
func (r Rule) Has(action string) bool { return slices.Contains(r.Actions, action) }

// Subjects of the rules on single records, used as a rule's KPI: a record
// rule raises one alert per ticket or answer, where a KPI rule raises one.
const (
	TicketAgeDays     = "ticket_age_days"     // an open ticket's age in days
	FollowUpWaitHours = "followup_wait_hours" // hours a detractor's follow-up has waited for a contact
	BotStars          = "bot_stars"           // the stars of one chatbot conversation
)

// DefaultRules are the rules of DESIGN.md: four on KPIs, three on records.
func DefaultRules() []Rule {
	return []Rule{
		{ID: "csat_drop", KPI: "csat", Op: Drop, Threshold: 0.05, Window: 24 * time.Hour, Severity: Critical, Hysteresis: 0.01, Baseline: BaselineTrailing4w},
		{ID: "form_abandonment_high", KPI: "form_abandonment", Op: Above, Threshold: 0.25, Window: 24 * time.Hour, Severity: Warning, Hysteresis: 0.01},
		{ID: "sla_compliance_low", KPI: "sla_compliance", Op: Below, Threshold: 0.95, Window: 24 * time.Hour, Severity: Critical, Hysteresis: 0.005},
		{ID: "nps_below_target", KPI: "nps", Op: Below, Threshold: 30, Window: 7 * 24 * time.Hour, Severity: Warning, Hysteresis: 2},
		{ID: "ticket_open_10d", KPI: TicketAgeDays, Op: Above, Threshold: 10, Severity: Warning},
		{ID: "detractor_no_followup", KPI: FollowUpWaitHours, Op: Above, Threshold: 24, Severity: Warning},
		// Window: a rating older than a day no longer raises an alert (a
		// store that starts from a long history is not flooded).
		{ID: "bot_low_rating", KPI: BotStars, Op: Below, Threshold: 3, Window: 24 * time.Hour, Severity: Warning},
	}
}

// IsRecordRule reports whether r watches single records rather than a KPI.
func (r Rule) IsRecordRule() bool {
	switch r.KPI {
	case TicketAgeDays, FollowUpWaitHours, BotStars:
		return true
	}
	return false
}

// measure is what a rule compares: the value, or for a drop the fall
// from the baseline in the KPI's delta unit (baseline − value: 0.052 is a
// fall of 5.2 pp for a share), the change the KPI pane shows.
func measure(r Rule, v kpi.Value) (float64, bool) {
	if v.Value == nil {
		return 0, false
	}
	if r.Op != Drop {
		return *v.Value, true
	}
	b, ok := baseline(r, v)
	if !ok {
		return 0, false
	}
	return b - *v.Value, true
}

// baseline is the value a drop is measured from.
func baseline(r Rule, v kpi.Value) (float64, bool) {
	if r.Baseline == BaselineFixed {
		return r.BaselineValue, true
	}
	if v.Baseline == nil {
		return 0, false
	}
	return *v.Baseline, true
}

// breached reports whether x is on the alerting side of the line, the line
// moved back by margin (0 to fire, Hysteresis to stay firing).
func breached(r Rule, x, margin float64) bool {
	switch r.Op {
	case Below:
		return x < r.Threshold+margin
	default: // Above, Drop
		return x > r.Threshold-margin
	}
}

// EvaluateKPI returns the rule's alert after looking at rep: a new firing
// alert, the previous one unchanged or resolved, or nil when nothing is or
// was wrong. changed says whether it must be stored.
func EvaluateKPI(r Rule, rep kpi.Report, prev *Alert, now time.Time) (next *Alert, changed bool) {
	v, ok := rep.Find(r.KPI)
	if !ok || r.IsRecordRule() {
		return prev, false
	}
	x, ok := measure(r, v)
	active := prev != nil && prev.Active()
	switch {
	case !ok:
		return prev, false // no data: neither fire nor resolve
	case !active && breached(r, x, 0):
		return &Alert{Key: r.ID, Rule: r.ID, Severity: r.Severity, State: Firing, Value: x,
			Message: message(r, v, x), FiredAt: now, UpdatedAt: now}, true
	case active && !breached(r, x, r.Hysteresis):
		n := *prev
		n.State, n.ResolvedAt, n.UpdatedAt, n.Value = Resolved, now, now, x
		return &n, true
	case active:
		// Still firing: keep its value and message current, so the feed
		// never shows the figure of the hour it fired.
		msg := message(r, v, x)
		if prev.Value == x && prev.Message == msg {
			return prev, false
		}
		n := *prev
		n.Value, n.Message, n.UpdatedAt = x, msg, now
		return &n, true
	}
	return prev, false
}

// message says what is wrong in the KPI's own units, a drop in its delta
// unit (pp, pts, h, ★) as the KPI pane shows changes.
func message(r Rule, v kpi.Value, x float64) string {
	switch r.Op {
	case Drop:
		b, _ := baseline(r, v)
		limit := r.Threshold
		return fmt.Sprintf("%s %s is %s below %s, %s (limit %s)", v.Label, kpi.Format(v.Unit, v.Value, false),
			strings.TrimPrefix(kpi.FormatDelta(v.DeltaUnit(), &x), "+"), kpi.Format(v.Unit, &b, false),
			baselineName(r), strings.TrimPrefix(kpi.FormatDelta(v.DeltaUnit(), &limit), "+"))
	case Above:
		return fmt.Sprintf("%s is %s, above %s", v.Label, kpi.Format(v.Unit, &x, false), kpi.Format(v.Unit, &r.Threshold, false))
	}
	return fmt.Sprintf("%s is %s, below %s", v.Label, kpi.Format(v.Unit, &x, false), kpi.Format(v.Unit, &r.Threshold, false))
}

// baselineName says in a message what a drop was measured from.
func baselineName(r Rule) string {
	switch r.Baseline {
	case BaselineTrailing4w:
		return "its value over the 4 weeks before the last " + shortWindow(r.Window)
	case BaselineFixed:
		return "its fixed baseline"
	}
	return "its value over the previous " + shortWindow(r.Window)
}

func shortWindow(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}

// Acknowledge marks an active alert as seen; a resolved one stays resolved.
func Acknowledge(a Alert, by string, now time.Time) (Alert, error) {
	if a.State == Resolved {
		return a, fmt.Errorf("alert %s is already resolved", a.Key)
	}
	if a.State == Acknowledged {
		return a, fmt.Errorf("alert %s is already acknowledged by %s", a.Key, a.AckedBy)
	}
	a.State, a.AckedAt, a.AckedBy, a.UpdatedAt = Acknowledged, now, by, now
	return a, nil
}
