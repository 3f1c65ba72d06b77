package kpi

import "github.com/cxtop/cxtop/model"

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
	// Windows override a KPI's default window: [kpi.windows] csat = "24h".
	Windows map[string]model.Duration `toml:"windows"`
}

// Target overrides a KPI's target or margin (in the KPI's own units:
// shares as fractions, hours, points); an unset field keeps the default.
type Target struct {
	Target *float64 `toml:"target"`
	Margin *float64 `toml:"margin"`
}

// ProgrammeConfig is the [programme] section: what the CX programme is
// measured against. Every key is optional; FromConfig checks the values
// (it knows the KPI ids) and turns them into Programme.
//
//	[programme]
//	go_live  = 2026-09-01          # `cxtop kpi --since go-live`, the "since go-live" column
//	currency = "VND"               # how money is written (VND: no decimals)
//	baseline_digital_revenue = 1500000000  # a 30-day month of digital revenue before go-live
//
//	[programme.baselines]          # KPI values before go-live, in the KPI's units
//	csat = 0.72
//	order_processing_h = 120       # 5 days
//
//	[[programme.costs]]            # dated amounts, minor currency units
//	at = 2026-09-01
//	amount = 250000000
//	label = "platform licence"
//
//	[[programme.benefits]]
//	at = 2026-10-01
//	amount = 40000000
//	label = "call-centre hours saved"
type ProgrammeConfig struct {
	GoLive                 *model.Date        `toml:"go_live"`
	Currency               string             `toml:"currency"`
	BaselineDigitalRevenue int64              `toml:"baseline_digital_revenue"`
	Baselines              map[string]float64 `toml:"baselines"`
	Costs                  []ProgrammeEntry   `toml:"costs"`
	Benefits               []ProgrammeEntry   `toml:"benefits"`
}

// ProgrammeEntry is an amount on a date.
type ProgrammeEntry struct {
	At     *model.Date `toml:"at"`
	Amount int64       `toml:"amount"`
	Label  string      `toml:"label"`
}
