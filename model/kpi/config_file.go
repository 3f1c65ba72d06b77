package kpi

// Config is the [kpi] section of the config file: target overrides and the figures the
// ROI and A/B reports need. Every key is optional; the zero value means
// the defaults. FromConfig checks it (it knows the KPI ids), so a bad key fails
// with one line naming it.
//
//	[kpi]
//	programme_cost = 250000000  # per year, minor currency units (like amounts)
//	benefit_share  = 0.25       # share of digital revenue credited to the programme
//	ab_control     = "A"        # the form variant others are compared with
//
//	[kpi.targets]
//	csat = { target = 0.9, margin = 0.02 }  # shares as fractions
//	nps  = { target = 35 }
type Config struct {
	ProgrammeCost int64             `toml:"programme_cost"`
	BenefitShare  *float64          `toml:"benefit_share"` // nil: the default
	ABControl     string            `toml:"ab_control"`    // "": the default
	Targets       map[string]Target `toml:"targets"`
}

// Target overrides a KPI's target or margin (in the KPI's own units:
// shares as fractions, hours, points); an unset field keeps the default.
type Target struct {
	Target *float64 `toml:"target"`
	Margin *float64 `toml:"margin"`
}
