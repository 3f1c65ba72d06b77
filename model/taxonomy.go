package model

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Statuses every taxonomy must keep: the queue and the KPIs depend on a
// "new" entry state and a "done" final one.
const (
	StatusNew        = "new"
	StatusInProgress = "in_progress"
	StatusDone       = "done"
)

// Priorities from the most to the least urgent.
const (
	PriorityUrgent = "urgent"
	PriorityHigh   = "high"
	PriorityNormal = "normal"
	PriorityLow    = "low"
)

// TicketType is a type of ticket with the sub-types that refine it.
type TicketType struct {
	Name     string   `toml:"name"`
	SubTypes []string `toml:"subtypes"`
}

// Taxonomy is how tickets are classified. It is configuration, not code:
// DefaultTaxonomy gives the playbook's defaults and the config file may
// replace any list.
type Taxonomy struct {
	Statuses []string     `toml:"statuses"`
	Types    []TicketType `toml:"types"`
	Sources  []string     `toml:"sources"`
	// Priorities in order of urgency, most urgent first.
	Priorities []string `toml:"priorities"`
	// SLA is the time allowed from creation to resolution per priority.
	SLA map[string]Duration `toml:"sla"`
}

// DefaultTaxonomy returns the defaults of the CX playbook: 3 statuses,
// 5 types with 17 sub-types, 10 sources and 4 priorities.
func DefaultTaxonomy() Taxonomy {
	return Taxonomy{
		Statuses: []string{StatusNew, StatusInProgress, StatusDone},
		Types: []TicketType{
			{Name: "complaint", SubTypes: []string{"late_delivery", "staff_attitude", "product_quality", "billing_error"}},
			{Name: "suggestion", SubTypes: []string{"product_idea", "service_improvement", "app_feature"}},
			{Name: "technical_support", SubTypes: []string{"login_issue", "payment_failure", "app_bug", "account_access"}},
			{Name: "information_request", SubTypes: []string{"order_status", "promotion_info", "store_info"}},
			{Name: "return_exchange", SubTypes: []string{"return_request", "exchange_request", "refund_status"}},
		},
		Sources: []string{
			"zalo_oa", "facebook", "email", "hotline", "website_chat",
			"chatbot", "mobile_app", "store", "web_form", "marketplace",
		},
		Priorities: []string{PriorityUrgent, PriorityHigh, PriorityNormal, PriorityLow},
		SLA: map[string]Duration{
			PriorityUrgent: {4 * time.Hour},
			PriorityHigh:   {24 * time.Hour},
			PriorityNormal: {72 * time.Hour},
			PriorityLow:    {120 * time.Hour},
		},
	}
}

// HasStatus reports whether s is a configured status.
func (t *Taxonomy) HasStatus(s string) bool { return slices.Contains(t.Statuses, s) }

// HasSource reports whether s is a configured source.
func (t *Taxonomy) HasSource(s string) bool { return slices.Contains(t.Sources, s) }

// Type returns the configured type named name.
func (t *Taxonomy) Type(name string) (TicketType, bool) {
	for _, tt := range t.Types {
		if tt.Name == name {
			return tt, true
		}
	}
	return TicketType{}, false
}

// TypeNames lists the configured type names in order.
func (t *Taxonomy) TypeNames() []string {
	names := make([]string, len(t.Types))
	for i, tt := range t.Types {
		names[i] = tt.Name
	}
	return names
}

// SubTypeCount is the number of sub-types over all types.
func (t *Taxonomy) SubTypeCount() int {
	n := 0
	for _, tt := range t.Types {
		n += len(tt.SubTypes)
	}
	return n
}

// PriorityRank is the position of p in the urgency order (0 = most urgent);
// an unknown priority ranks after every known one.
func (t *Taxonomy) PriorityRank(p string) int {
	if i := slices.Index(t.Priorities, p); i >= 0 {
		return i
	}
	return len(t.Priorities)
}

// SLADue is when a ticket of priority p created at created must be resolved;
// zero when the policy has no entry for p.
func (t *Taxonomy) SLADue(p string, created time.Time) time.Time {
	d, ok := t.SLA[p]
	if !ok || d.Duration <= 0 {
		return time.Time{}
	}
	return created.Add(d.Duration)
}

// Check reports the first inconsistency of a taxonomy, such as one loaded
// from a config file that dropped the "done" status.
func (t *Taxonomy) Check() error {
	for _, need := range []string{StatusNew, StatusDone} {
		if !t.HasStatus(need) {
			return fmt.Errorf("taxonomy: statuses must include %q (have %s)", need, strings.Join(t.Statuses, ", "))
		}
	}
	if len(t.Types) == 0 {
		return fmt.Errorf("taxonomy: at least one ticket type is needed")
	}
	seen := map[string]bool{}
	for _, tt := range t.Types {
		if tt.Name == "" {
			return fmt.Errorf("taxonomy: a ticket type has no name")
		}
		if seen[tt.Name] {
			return fmt.Errorf("taxonomy: ticket type %q is listed twice", tt.Name)
		}
		seen[tt.Name] = true
	}
	if len(t.Sources) == 0 {
		return fmt.Errorf("taxonomy: at least one source is needed")
	}
	if len(t.Priorities) == 0 {
		return fmt.Errorf("taxonomy: at least one priority is needed")
	}
	for p, d := range t.SLA {
		if !slices.Contains(t.Priorities, p) {
			return fmt.Errorf("taxonomy: sla names priority %q, which is not in priorities (%s)", p, strings.Join(t.Priorities, ", "))
		}
		// A due time before creation would breach every ticket at once
		// and make every stored one invalid (sla_due_at before created_at).
		if d.Duration <= 0 || d.Duration > 365*24*time.Hour {
			return fmt.Errorf("taxonomy: sla.%s = %s: use a duration from 1m to 365d", p, d.Duration)
		}
	}
	return nil
}

// Duration is a time.Duration that reads and writes as text ("24h", "90m")
// in config files.
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration, with "d" accepted for whole days.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// MarshalText writes the duration in Go's notation.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.Duration.String()), nil }

// ParseDuration is time.ParseDuration that also accepts whole days ("7d").
func ParseDuration(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok && n != "" {
		var days int
		if _, err := fmt.Sscanf(n, "%d", &days); err == nil && fmt.Sprint(days) == n {
			return time.Duration(days) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q (use e.g. 90m, 24h or 7d)", s)
	}
	return d, nil
}
