package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/cxtop/cxtop/model"
)

// queueColumn is one column of the queue and the pane width below which
// it is dropped; the subject takes what is left.
type queueColumn struct {
	title string
	width int
	minW  int
	cell  func(t *model.Ticket, now time.Time) string
}

var queueColumns = []queueColumn{
	{"ID", 10, 0, func(t *model.Ticket, _ time.Time) string { return model.Sanitize(t.ID) }},
	{"AGE", 4, 0, func(t *model.Ticket, now time.Time) string { return ShortDuration(now.Sub(t.CreatedAt)) }},
	{"SLA", 9, 0, slaCell},
	{"PRI", 6, 0, func(t *model.Ticket, _ time.Time) string { return model.Sanitize(t.Priority) }},
	{"TYPE/SUBTYPE", 30, 110, func(t *model.Ticket, _ time.Time) string { return model.Sanitize(t.Type + "/" + t.SubType) }},
	{"SOURCE", 12, 90, func(t *model.Ticket, _ time.Time) string { return model.Sanitize(t.Source) }},
	{"DEPT", 13, 130, func(t *model.Ticket, _ time.Time) string { return model.Sanitize(t.Department) }},
	{"CUSTOMER", 16, 150, func(t *model.Ticket, _ time.Time) string { return model.Sanitize(t.CustomerID + " " + t.Segment) }},
}

// maxIDWidth bounds the ID column: a long id is cut rather than let it
// push the subject off a narrow pane.
const maxIDWidth = 24

// queueColumnsFor is the columns that fit a pane w cells wide, the ID
// column as wide as the longest id shown (an escalation's esc-F00032342
// must not be cut to ten identical "esc-F0003…" rows).
func queueColumnsFor(w int, shown []*model.Ticket) []queueColumn {
	var cols []queueColumn
	for _, c := range queueColumns {
		if w >= c.minW {
			cols = append(cols, c)
		}
	}
	if len(cols) > 0 && cols[0].title == "ID" {
		for _, t := range shown {
			cols[0].width = max(cols[0].width, min(ansi.StringWidth(model.Sanitize(t.ID)), maxIDWidth))
		}
	}
	return cols
}

// slaSoon is how close an SLA due time is "at risk": the row turns warn.
const slaSoon = 4 * time.Hour

// slaCell shows the SLA countdown with a symbol for risk, so it reads
// without colour: ✗ breached, ▲ due within slaSoon.
func slaCell(t *model.Ticket, now time.Time) string {
	switch {
	case t.SLADueAt.IsZero():
		return "-"
	case now.After(t.SLADueAt):
		return "✗ " + ShortDuration(now.Sub(t.SLADueAt))
	case t.SLADueAt.Sub(now) < slaSoon:
		return "▲ " + ShortDuration(t.SLADueAt.Sub(now))
	}
	return "  " + ShortDuration(t.SLADueAt.Sub(now))
}

// queueHeader is the header row's cells: marks, columns, subject.
func queueHeader(cols []queueColumn) []string {
	cells := []string{"    "}
	for _, c := range cols {
		cells = append(cells, c.title)
	}
	return append(cells, "SUBJECT")
}

// queueCells is one ticket's cells. The first cell carries the marks that
// read without colour: ▸ selected, ! escalated, ↑ triage pending sync.
func queueCells(cols []queueColumn, t *model.Ticket, now time.Time, pending, selected bool) []string {
	mark := func(on bool, s string) string {
		if on {
			return s
		}
		return " "
	}
	cells := []string{mark(selected, "▸") + mark(t.Escalated, "!") + mark(pending, "↑") + " "}
	for _, c := range cols {
		cells = append(cells, c.cell(t, now))
	}
	return append(cells, model.Sanitize(t.Subject))
}

// queueRow lays out cells in the columns' widths, w cells in all.
func queueRow(cols []queueColumn, w int, cells []string) string {
	var b strings.Builder
	b.WriteString(cells[0])
	for i, c := range cols {
		b.WriteString(fit(cells[i+1], c.width))
		b.WriteByte(' ')
	}
	b.WriteString(cells[len(cells)-1])
	return fit(b.String(), w)
}
