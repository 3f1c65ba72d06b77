package sim

import (
	"errors"
	"fmt"
	"time"

	"github.com/cxtop/cxtop/model"
)

// Options of a generated history.
type Options struct {
	Seed     uint64         // same Seed+End+Days+Tickets+Taxonomy => byte-identical output
	End      time.Time      // history ends here (inclusive); nothing generated after End
	Days     int            // length of history in days (default 90 when 0)
	Tickets  int            // when > 0: exactly this many customer tickets over Days (detractors' follow-ups come on top); 0: about 400 a day
	Taxonomy model.Taxonomy // statuses, types, sub-types, sources, priorities and SLA to use
	// BatchSize is the number of records per emitted batch (default 1000).
	BatchSize int
}

// Defaults.
const (
	DefaultDays      = 90
	DefaultDailyRate = 400
	DefaultBatchSize = 1000
)

// normalize fills the defaults and rejects what cannot be generated.
func (o Options) normalize() (Options, error) {
	if o.End.IsZero() {
		return o, errors.New("sim: End is required")
	}
	if o.Days < 0 {
		return o, fmt.Errorf("sim: Days %d is negative", o.Days)
	}
	if o.Tickets < 0 {
		return o, fmt.Errorf("sim: Tickets %d is negative", o.Tickets)
	}
	if o.Days == 0 {
		o.Days = DefaultDays
	}
	if o.Tickets == 0 {
		o.Tickets = DefaultDailyRate * o.Days
	}
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	o.End = o.End.UTC().Truncate(time.Second)
	o.Taxonomy = orDefault(o.Taxonomy)
	if err := o.Taxonomy.Check(); err != nil {
		return o, fmt.Errorf("sim: %w", err)
	}
	return o, nil
}

// orDefault replaces an empty taxonomy by the default one.
func orDefault(t model.Taxonomy) model.Taxonomy {
	if len(t.Statuses) == 0 && len(t.Types) == 0 && len(t.Sources) == 0 && len(t.Priorities) == 0 {
		return model.DefaultTaxonomy()
	}
	return t
}
