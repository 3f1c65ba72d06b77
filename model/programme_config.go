package model

// ProgrammeConfig is the [programme] section: what the CX programme is
// measured against. Every key is optional; model/kpi checks the values
// (it knows the KPI ids) and turns them into kpi.Programme.
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
	GoLive                 *Date              `toml:"go_live"`
	Currency               string             `toml:"currency"`
	BaselineDigitalRevenue int64              `toml:"baseline_digital_revenue"`
	Baselines              map[string]float64 `toml:"baselines"`
	Costs                  []ProgrammeEntry   `toml:"costs"`
	Benefits               []ProgrammeEntry   `toml:"benefits"`
}

// ProgrammeEntry is an amount on a date.
type ProgrammeEntry struct {
	At     *Date  `toml:"at"`
	Amount int64  `toml:"amount"`
	Label  string `toml:"label"`
}
