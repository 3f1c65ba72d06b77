// Package kpi computes cxtop's CX KPIs from the store's hourly rollups —
// never by scanning records — and compares each with its target and with
// the previous window. docs/kpis.md gives every formula; keep the two equal.
package kpi
