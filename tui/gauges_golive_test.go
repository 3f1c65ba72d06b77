package tui

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cxtop/cxtop/model/kpi"
)

// With a go-live the gauges show each KPI since it, in a named column,
// when the pane is wide enough; without one, nothing changes.
func TestGaugesSinceGoLiveColumn(t *testing.T) {
	csat := kpi.Value{Def: kpi.Defs()[0]}
	now, since := 0.9, 0.872
	csat.Value = &now
	goLive := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	wide := gaugeColumnsFor(76, []kpi.Value{csat}, true)
	if !wide.since {
		t.Fatalf("a 76-cell pane has no room for the since column: %+v", wide)
	}
	sv := csat
	sv.Value = &since
	line := gaugeLine(csat, wide, "✓ ok", &sv)
	header := gaugeHeader(wide, goLive)
	end := func(s, sub string) int { return utf8.RuneCountInString(s[:strings.Index(s, sub)+len(sub)]) }
	if !strings.Contains(line, "87.2%") || end(line, "87.2%") != end(header, "SINCE 09-01") {
		t.Errorf("since value not under its header:\n%s\n%s", header, line)
	}
	if c := gaugeColumnsFor(76, []kpi.Value{csat}, false); c.since {
		t.Error("a since column without a go-live")
	}
	if c := gaugeColumnsFor(44, []kpi.Value{csat}, true); c.since {
		t.Error("a since column squeezed into a narrow pane before the delta")
	}
}
