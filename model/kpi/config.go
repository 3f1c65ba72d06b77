package kpi

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cxtop/cxtop/model"
)

// Defaults of the [kpi] section (Config) when a key is unset.
const (
	DefaultBenefitShare = 0.25
	DefaultABControl    = "A"
)

// Settings are the [kpi] section resolved over the defaults.
type Settings struct {
	Defs      []Def  // Defs() with the configured targets, margins, windows and ROI figures
	ABControl string // the A/B control variant
	Programme Programme
}

// FromConfig checks the [kpi] and [programme] sections and resolves them.
// Errors name the key and say what to write instead.
func FromConfig(c Config, pc ProgrammeConfig) (Settings, error) {
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
	for id, w := range c.Windows {
		i := slices.IndexFunc(s.Defs, func(d Def) bool { return d.ID == id })
		if i < 0 {
			return s, fmt.Errorf("kpi.windows.%s: no KPI has this id: use one of %s", id, strings.Join(ids, ", "))
		}
		if _, err := NewWindow(time.Unix(0, 0), w.Duration); err != nil {
			return s, fmt.Errorf("kpi.windows.%s: %w", id, err)
		}
		s.Defs[i].Window = w.Duration
	}
	p, err := programmeFromConfig(pc, ids)
	if err != nil {
		return s, err
	}
	p.YearlyCost, p.BenefitShare = c.ProgrammeCost, share
	s.Programme = p
	for i := range s.Defs {
		if s.Defs[i].ID == "roi" {
			s.Defs[i].measure, s.Defs[i].note = roi(p), roiNote(p)
		}
	}
	return s, nil
}

// programmeFromConfig checks the [programme] section.
func programmeFromConfig(pc ProgrammeConfig, ids []string) (Programme, error) {
	var p Programme
	cur, err := model.CurrencyOf(pc.Currency)
	if err != nil {
		return p, fmt.Errorf("programme.currency: %w", err)
	}
	p.Currency = cur
	if pc.GoLive != nil {
		p.GoLive = pc.GoLive.Time.UTC()
	}
	if pc.BaselineDigitalRevenue < 0 {
		return p, fmt.Errorf("programme.baseline_digital_revenue %d: use a monthly amount ≥ 0 in minor currency units", pc.BaselineDigitalRevenue)
	}
	p.BaselineDigitalRevenue = pc.BaselineDigitalRevenue
	for id, v := range pc.Baselines {
		if !slices.Contains(ids, id) {
			return p, fmt.Errorf("programme.baselines.%s: no KPI has this id: use one of %s", id, strings.Join(ids, ", "))
		}
		if p.Baselines == nil {
			p.Baselines = map[string]float64{}
		}
		p.Baselines[id] = v
	}
	entries := func(name string, in []ProgrammeEntry) ([]Entry, error) {
		var out []Entry
		for i, e := range in {
			switch {
			case e.At == nil:
				return nil, fmt.Errorf("programme.%s[%d]: at is required: write the date, like at = 2026-09-01", name, i)
			case e.Amount <= 0:
				return nil, fmt.Errorf("programme.%s[%d].amount %d: use an amount > 0 in minor currency units", name, i, e.Amount)
			}
			out = append(out, Entry{At: e.At.Time.UTC(), Amount: e.Amount, Label: e.Label})
		}
		return out, nil
	}
	if p.Costs, err = entries("costs", pc.Costs); err != nil {
		return p, err
	}
	if p.Benefits, err = entries("benefits", pc.Benefits); err != nil {
		return p, err
	}
	return p, nil
}

// WithProgramme is s measured against p instead of the configured
// programme (the demo's, when the config names none): ROI reads p's costs
// and benefits; targets and windows stay as configured.
func (s Settings) WithProgramme(p Programme) Settings {
	s.Programme = p
	s.Defs = slices.Clone(s.Defs)
	for i := range s.Defs {
		if s.Defs[i].ID == "roi" {
			s.Defs[i].measure, s.Defs[i].note = roi(p), roiNote(p)
		}
	}
	return s
}
