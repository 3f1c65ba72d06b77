package kpi

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cxtop/cxtop/model"
)

// TicketDims maps each ticket --by dimension to the ticket rollup
// dimension it reads; a sub-type's value is "type/subtype".
var TicketDims = map[string]string{
	"type": "type", "subtype": "subtype", "department": "dept", "assignee": "assignee",
	"source": "source", "segment": "segment", "touchpoint": "touchpoint",
}

// TicketDimNames lists TicketDims' keys in the order help texts give them.
var TicketDimNames = []string{"type", "subtype", "department", "assignee", "source", "segment", "touchpoint"}

// TicketRow is the ticket module's KPIs over the tickets with one value of
// a dimension.
type TicketRow struct {
	Value    string
	Created  int64 // tickets created in the window
	Backlog  int64 // open at the window's end
	Resolved int64 // done in the window
	// HandlingH is the mean hours created → done of the tickets done in
	// the window; SLA the share of those with an SLA that met it (SLAN of
	// them); CSATPostRes the share of 4–5 among the post-resolution CSAT
	// answers given in the window about these tickets (CSATPostResN);
	// Success the share of the tickets done in the window without a
	// failure (a reopen, a post-resolution answer of 1–2). nil: no data.
	HandlingH    *float64
	SLA          *float64
	SLAN         int64
	CSATPostRes  *float64
	CSATPostResN int64
	Success      *float64
}

// TicketLookup gives, for ticket ids, the value of a dimension (a
// TicketDims key) of each ticket it knows: the per-ticket families (post-
// resolution answers, failures) are joined with the tickets this way, for
// the few tickets a window holds.
type TicketLookup func(by string, ids []string) map[string]string

// TicketBreakdown computes the ticket KPIs per value of the dimension by
// over w, for the values given (TicketValues lists them); values with
// neither a ticket created nor one done in w nor a backlog are left out.
func TicketBreakdown(src Source, w Window, by string, values []string, lookup TicketLookup) ([]TicketRow, error) {
	dim, ok := TicketDims[by]
	if !ok {
		return nil, fmt.Errorf("no ticket breakdown by %q: use %s", by, strings.Join(TicketDimNames, ", "))
	}
	from, to := w.Hours()
	src = WithPrefixSums(src)
	postN, postPos := perTicketValue(src, model.MPostResN, from, to, by, lookup), perTicketValue(src, model.MPostResPos, from, to, by, lookup)
	failed := perTicketValue(src, model.MResolutionFailed, from, to, by, lookup)
	var rows []TicketRow
	for _, v := range values {
		m := func(metric string) string { return model.Dim(metric, dim, v) }
		row := TicketRow{Value: v,
			Created:  src.Sum(m(model.MTicketCreated), from, to),
			Backlog:  src.Sum(m(model.MTicketCreated), 0, to) - src.Sum(m(model.MTicketResolved), 0, to),
			Resolved: src.Sum(m(model.MTicketResolved), from, to),
		}
		if row.Resolved > 0 {
			h := float64(src.Sum(m(model.MTicketResolvedSec), from, to)) / float64(row.Resolved) / 3600
			s := float64(max(row.Resolved-failed.tickets[v], 0)) / float64(row.Resolved)
			row.HandlingH, row.Success = &h, &s
		}
		if row.SLAN = src.Sum(m(model.MTicketResolvedSLA), from, to); row.SLAN > 0 {
			x := float64(src.Sum(m(model.MTicketResolvedInSLA), from, to)) / float64(row.SLAN)
			row.SLA = &x
		}
		if row.CSATPostResN = postN.sum[v]; row.CSATPostResN > 0 {
			x := float64(postPos.sum[v]) / float64(row.CSATPostResN)
			row.CSATPostRes = &x
		}
		if row.Created+row.Resolved+row.Backlog+row.CSATPostResN > 0 {
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// perValue is a per-ticket family summed per dimension value: the sum of
// its counters, and the number of distinct tickets.
type perValue struct{ sum, tickets map[string]int64 }

func perTicketValue(src Source, metric string, from, to uint32, by string, lookup TicketLookup) perValue {
	out := perValue{sum: map[string]int64{}, tickets: map[string]int64{}}
	counts := src.BySuffix(metric, from, to)
	if len(counts) == 0 || lookup == nil {
		return out
	}
	ids := make([]string, 0, len(counts))
	for id, n := range counts {
		if n != 0 {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for id, v := range lookup(by, ids) {
		out.sum[v] += counts[id]
		out.tickets[v]++
	}
	return out
}

// TicketValues picks, in order, the values of the dimension by from metric
// names such as "tk.created|type=complaint" (what Rollups.Metrics lists
// for "tk.created"); the empty value is left out.
func TicketValues(metrics []string, by string) []string {
	prefix := model.MTicketCreated + "|" + TicketDims[by] + "="
	var out []string
	for _, m := range metrics {
		if v, ok := strings.CutPrefix(m, prefix); ok && v != "" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TicketField is the value of a TicketDims dimension of t, as the rollups
// name it.
func TicketField(t *model.Ticket, by string) string {
	switch by {
	case "type":
		return t.Type
	case "subtype":
		return t.Type + "/" + t.SubType
	case "department":
		return t.Department
	case "assignee":
		return t.Assignee
	case "source":
		return t.Source
	case "segment":
		return t.Segment
	case "touchpoint":
		return t.Touchpoint
	}
	return ""
}
