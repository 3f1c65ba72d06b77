package tui

import (
	"testing"

	"github.com/cxtop/cxtop/model/kpi"
)

// Commands run in goroutines of their own, so the selections of two quick
// moves in the gauges can reach the trends pane in either order: the pane
// must chart the newest, not the last to arrive.
func TestTrendsKeepTheNewestSelection(t *testing.T) {
	p := newTrendsPane(&env{})
	p.defs = []kpi.Def{{ID: "csat"}, {ID: "csat_resolved"}, {ID: "nps"}}
	p.list.setLen(len(p.defs))
	for _, msg := range []selectKPIMsg{
		{id: "csat", seq: 1},
		{id: "nps", seq: 3, focus: true},
		{id: "csat_resolved", seq: 2}, // late
	} {
		p.Update(msg)
	}
	if got := p.defs[p.list.cursor].ID; got != "nps" {
		t.Fatalf("the trends pane charts %q after a late, older selection; want nps", got)
	}
}
