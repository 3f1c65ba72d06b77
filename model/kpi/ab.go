package kpi

import (
	"math"
	"slices"
	"strings"

	"github.com/cxtop/cxtop/model"
)

// A variant wins over the control when its completion rate is at least
// WinLift higher (relative) and the difference is significant at WinP.
const (
	WinLift = 0.15
	WinP    = 0.05
)

// Variant is one A/B form variant over a window.
type Variant struct {
	Name               string
	Control            bool
	Started, Completed int64
	Rate               *float64 // completed / started; nil when none started
	Lift               *float64 // Rate / control's Rate − 1; nil for the control
	PValue             *float64 // two-sided two-proportion z-test against the control
	Wins               bool
}

// AB compares the completion rate of each form variant with the control's
// over w. variants are the names to report (ABVariants lists them); the
// control comes first.
func AB(src Source, w Window, control string, variants []string) []Variant {
	from, to := w.Hours()
	names := append([]string{control}, slices.DeleteFunc(slices.Clone(variants), func(v string) bool { return v == control })...)
	out := make([]Variant, 0, len(names))
	for _, name := range names {
		v := Variant{Name: name, Control: name == control,
			Started:   src.Sum(model.Dim("ev."+model.EventFormStarted, "variant", name), from, to),
			Completed: src.Sum(model.Dim("ev."+model.EventFormCompleted, "variant", name), from, to)}
		if v.Started > 0 {
			r := float64(v.Completed) / float64(v.Started)
			v.Rate = &r
		}
		out = append(out, v)
	}
	c := out[0]
	for i := range out[1:] {
		v := &out[i+1]
		if v.Rate == nil || c.Rate == nil {
			continue
		}
		if *c.Rate > 0 {
			lift := *v.Rate / *c.Rate - 1
			v.Lift = &lift
		}
		if _, p, ok := TwoProportionZ(v.Completed, v.Started, c.Completed, c.Started); ok {
			v.PValue = &p
		}
		v.Wins = v.Lift != nil && v.PValue != nil && *v.Lift >= WinLift && *v.PValue < WinP
	}
	return out
}

// ABVariants picks the variant names from metric names such as
// "ev.form_started|variant=B" (what Rollups.Metrics lists for
// "ev.form_started|variant=").
func ABVariants(metrics []string) []string {
	var out []string
	for _, m := range metrics {
		if v, ok := strings.CutPrefix(m, "ev."+model.EventFormStarted+"|variant="); ok && v != "" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TwoProportionZ tests x1/n1 against x2/n2 with the pooled two-proportion
// z-test: z = (p1 − p2) / √(p(1−p)(1/n1 + 1/n2)), p = (x1+x2)/(n1+n2), and
// the two-sided p-value 2·(1 − Φ(|z|)). ok is false when the test is
// undefined (an empty sample, or every trial a success or every one a
// failure).
func TwoProportionZ(x1, n1, x2, n2 int64) (z, pValue float64, ok bool) {
	if n1 <= 0 || n2 <= 0 {
		return 0, 0, false
	}
	p := float64(x1+x2) / float64(n1+n2)
	se := math.Sqrt(p * (1 - p) * (1/float64(n1) + 1/float64(n2)))
	if se == 0 {
		return 0, 0, false
	}
	z = (float64(x1)/float64(n1) - float64(x2)/float64(n2)) / se
	// 2·(1 − Φ(|z|)) = erfc(|z|/√2), without the cancellation for large |z|.
	return z, math.Erfc(math.Abs(z) / math.Sqrt2), true
}

// NormalCDF is Φ(x), the standard normal distribution function, through
// the complementary error function (exact in the tails, where 1 − erf
// would cancel).
func NormalCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
