package kpi

import (
	"fmt"
	"slices"
	"strings"
)

// Defaults of the [kpi] section (Config) when a key is unset.
const (
	DefaultBenefitShare = 0.25
	DefaultABControl    = "A"
)

// Settings are the [kpi] section resolved over the defaults.
type Settings struct {
	Defs      []Def  // Defs() with the configured targets, margins and ROI figures
	ABControl string // the A/B control variant
}

// FromConfig checks the [kpi] section and resolves it. Errors name the key
// and say what to write instead.
func FromConfig(c Config) (Settings, error) {
	share := DefaultBenefitShare
	if c.BenefitShare != nil {
		share = *c.BenefitShare
	}
	s := Settings{Defs: Defs(), ABControl: c.ABControl}
	if s.ABControl == "" {
		s.ABControl = DefaultABControl
	}
	switch {
	case c.ProgrammeCost < 0:
		return s, fmt.Errorf("kpi.programme_cost %d: use a yearly cost ≥ 0 in minor currency units", c.ProgrammeCost)
	case share < 0 || share > 1:
		return s, fmt.Errorf("kpi.benefit_share %g: use a share from 0 to 1", share)
	}
	var ids []string
	for _, d := range s.Defs {
		ids = append(ids, d.ID)
	}
	for id, t := range c.Targets {
		i := slices.IndexFunc(s.Defs, func(d Def) bool { return d.ID == id })
		switch {
		case i < 0:
			return s, fmt.Errorf("kpi.targets.%s: no KPI has this id: use one of %s", id, strings.Join(ids, ", "))
		case s.Defs[i].Dir == NoDirection:
			return s, fmt.Errorf("kpi.targets.%s: this KPI has no target (it is a volume or has no better direction): remove it", id)
		case t.Margin != nil && *t.Margin < 0:
			return s, fmt.Errorf("kpi.targets.%s.margin %g: use a margin ≥ 0", id, *t.Margin)
		}
		if t.Target != nil {
			s.Defs[i].Target = *t.Target
		}
		if t.Margin != nil {
			s.Defs[i].Margin = *t.Margin
		}
	}
	for i := range s.Defs {
		if s.Defs[i].ID == "roi" {
			s.Defs[i].measure = roi(c.ProgrammeCost, share)
		}
	}
	return s, nil
}
