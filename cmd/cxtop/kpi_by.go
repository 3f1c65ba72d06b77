package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store"
)

// ticketLookup joins the per-ticket rollup families with the tickets'
// dimensions, reading only the tickets a window names.
func ticketLookup(s *store.Store) kpi.TicketLookup {
	return func(by string, ids []string) map[string]string {
		m, err := s.TicketsField(ids, func(t *model.Ticket) string { return kpi.TicketField(t, by) })
		if err != nil {
			return nil
		}
		return m
	}
}

// breakdowns are both breakdowns of one dimension: the ticket KPIs, and
// CSAT and NPS for the dimensions answers carry.
type breakdowns struct {
	answers []kpi.BreakdownRow
	tickets []kpi.TicketRow
}

func computeBreakdowns(s *store.Store, r *store.Rollups, w kpi.Window, by string) (breakdowns, error) {
	var b breakdowns
	var err error
	if _, ok := kpi.BreakdownDims[by]; ok {
		if b.answers, err = kpi.Breakdown(r, w, by, kpi.BreakdownValues(r.Metrics("fb."), by)); err != nil {
			return b, err
		}
	}
	b.tickets, err = kpi.TicketBreakdown(r, w, by, kpi.TicketValues(r.Metrics(model.MTicketCreated), by), ticketLookup(s))
	return b, err
}

func writeBreakdowns(out io.Writer, s *store.Store, r *store.Rollups, w kpi.Window, by string, asJSON bool) error {
	b, err := computeBreakdowns(s, r, w, by)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(out, breakdownDoc(w, by, b))
	}
	if _, ok := kpi.BreakdownDims[by]; ok {
		if err := writeBreakdownTable(out, w, by, b.answers); err != nil {
			return err
		}
		fmt.Fprintln(out)
	}
	return writeTicketBreakdownTable(out, w, by, b.tickets)
}

type ticketRowJSON struct {
	Value        string   `json:"value"`
	Created      int64    `json:"created"`
	Backlog      int64    `json:"backlog"`
	Resolved     int64    `json:"resolved"`
	HandlingH    *float64 `json:"handling_time_h"`
	SLA          *float64 `json:"sla_compliance"`
	SLAN         int64    `json:"sla_n"`
	CSATPostRes  *float64 `json:"csat_post_resolution"`
	CSATPostResN int64    `json:"csat_post_resolution_n"`
	Success      *float64 `json:"successful_resolution_rate"`
}

type breakdownJSONDoc struct {
	At          string          `json:"at"`
	WindowHours int             `json:"window_hours"`
	By          string          `json:"by"`
	Rows        []breakdownJSON `json:"rows"`    // CSAT and NPS (segment, touchpoint, source)
	Tickets     []ticketRowJSON `json:"tickets"` // the ticket KPIs
}

func breakdownDoc(w kpi.Window, by string, b breakdowns) breakdownJSONDoc {
	doc := breakdownJSONDoc{By: by, Rows: []breakdownJSON{}, Tickets: []ticketRowJSON{}}
	doc.At, doc.WindowHours = windowJSON(w)
	for _, r := range b.answers {
		doc.Rows = append(doc.Rows, breakdownJSON{r.Value, r.CSAT, r.CSATN, r.NPS, r.NPSN})
	}
	for _, r := range b.tickets {
		doc.Tickets = append(doc.Tickets, ticketRowJSON{r.Value, r.Created, r.Backlog, r.Resolved, r.HandlingH, r.SLA, r.SLAN, r.CSATPostRes, r.CSATPostResN, r.Success})
	}
	return doc
}

func writeTicketBreakdownTable(out io.Writer, w kpi.Window, by string, rows []kpi.TicketRow) error {
	fmt.Fprintf(out, "%s by %s\n\n", windowTitle("Tickets", w), by)
	if len(rows) == 0 {
		fmt.Fprintln(out, "no tickets in this window")
		return nil
	}
	tw := newTable(out)
	fmt.Fprintf(tw, "%s\tNEW\tBACKLOG\tDONE\tHANDLING\tSLA\tCSAT RES\tSUCCESS\n", strings.ToUpper(by))
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\n", model.Sanitize(clip(ticketCell(by, r.Value), 28)), r.Created, r.Backlog, r.Resolved,
			kpi.Format("h", r.HandlingH, false), kpi.Format("%", r.SLA, false), kpi.Format("%", r.CSATPostRes, false), kpi.Format("%", r.Success, false))
	}
	return tw.Flush()
}

// ticketCell is a breakdown value as a table shows it: a sub-type without
// its type (the JSON keeps "type/subtype"), "(none)" for an empty one.
func ticketCell(by, v string) string {
	if by == "subtype" {
		_, v, _ = strings.Cut(v, "/")
	}
	if v == "" {
		return "(none)"
	}
	return v
}
