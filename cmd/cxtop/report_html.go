package main

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/tui"
)

// The HTML report is one file that opens offline: CSS inline, charts as
// inline SVG drawn here, no script, nothing fetched.

// lineChart draws a KPI's trend as an SVG line with its target dashed; a
// point without data breaks the line.
func lineChart(points []*float64, target *float64, unit string) template.HTML {
	const w, h, pad = 240.0, 64.0, 6.0
	lo, hi, any := 0.0, 0.0, false
	see := func(v float64) {
		if !any || v < lo {
			lo = v
		}
		if !any || v > hi {
			hi = v
		}
		any = true
	}
	for _, p := range points {
		if p != nil {
			see(*p)
		}
	}
	if target != nil && any {
		see(*target)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" role="img">`, w, h, w, h)
	if !any || len(points) == 0 {
		b.WriteString(`<text x="6" y="36">no data</text></svg>`)
		return template.HTML(b.String())
	}
	if hi == lo {
		hi, lo = hi+1, lo-1
	}
	x := func(i int) float64 {
		if len(points) == 1 {
			return w / 2
		}
		return pad + float64(i)*(w-2*pad)/float64(len(points)-1)
	}
	y := func(v float64) float64 { return h - pad - (v-lo)/(hi-lo)*(h-2*pad) }
	if target != nil {
		fmt.Fprintf(&b, `<line class="target" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, pad, y(*target), w-pad, y(*target))
	}
	var path strings.Builder
	pen := false
	for i, p := range points {
		if p == nil {
			pen = false
			continue
		}
		cmd := "L"
		if !pen {
			cmd = "M"
		}
		fmt.Fprintf(&path, "%s%.1f %.1f ", cmd, x(i), y(*p))
		pen = true
	}
	fmt.Fprintf(&b, `<path class="line" d="%s"/>`, strings.TrimSpace(path.String()))
	for i, p := range points {
		if p != nil {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="2"><title>%s</title></circle>`, x(i), y(*p), template.HTMLEscapeString(kpi.Format(unit, p, false)))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// barChart draws counts as SVG bars, oldest first.
func barChart(counts []int64) template.HTML {
	const w, h, pad = 120.0, 32.0, 2.0
	var top int64 = 1
	for _, c := range counts {
		top = max(top, c)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="bars" xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" role="img">`, w, h, w, h)
	if n := len(counts); n > 0 {
		bw := (w - pad) / float64(n)
		for i, c := range counts {
			bh := float64(c) / float64(top) * (h - pad)
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%d</title></rect>`, pad+float64(i)*bw, h-bh, bw-pad, bh, c)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"title":  reportTitle,
	"source": reportSource,
	"value":  func(k reportKPI) string { return kpi.Format(k.Unit, k.Value, false) },
	"target": kpiTarget,
	"delta":  reportDelta,
	"state":  kpiState,
	"chart":  func(k reportKPI) template.HTML { return lineChart(k.Trend, k.Target, k.Unit) },
	"bars":   barChart,
	"pct":    func(v *float64) string { return kpi.Format("%", v, false) },
	"pts":    func(v *float64) string { return kpi.Format("pts", v, true) },
	"hours":  func(v *float64) string { return kpi.Format("h", v, false) },
	"num":    func(v *float64) string { return kpi.Format("", v, false) },
	"clean":  model.Sanitize,
	"when":   func(t time.Time) string { return t.Format("2006-01-02 15:04Z") },
	"age":    func(at, since time.Time) string { return tui.ShortDuration(at.Sub(since)) },
	"more":   func(d reportDoc) int { return d.WaitingTotal - len(d.Waiting) },
	"top": func(d reportDoc) []subtypeRow {
		return d.SubTypes[:min(len(d.SubTypes), map[bool]int{true: 5, false: len(d.SubTypes)}[d.Kind == reportWeekly])]
	},
	"loop": func(d reportDoc) []reportKPI {
		var out []reportKPI
		for _, k := range d.KPIs {
			if k.Group == kpi.GroupLoop {
				out = append(out, k)
			}
		}
		return out
	},
	"label": func(d reportDoc, id string) string {
		for _, k := range d.KPIs {
			if k.ID == id {
				return k.Label + " (" + reportDelta(k) + ")"
			}
		}
		return id
	},
	"monthly": func(d reportDoc) bool { return d.Kind == reportMonthly },
	"since":   func(d reportDoc) bool { return d.GoLive != nil && d.GoLiveNote == "" },
	"golive":  goLiveLine,
	"sincev":  sinceText,
	"money":   func(d reportDoc, v *float64) string { return money(d.cur, v) },
	"amount":  func(d reportDoc, v int64) string { return d.cur.FormatFloat(float64(v)) },
}).Parse(reportHTML))

func writeReportHTML(w io.Writer, d reportDoc) error { return reportTemplate.Execute(w, d) }

const reportHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title .}}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #1d2430; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #ccd; }
table { border-collapse: collapse; margin: .5em 0; } th, td { padding: .25em .6em; border-bottom: 1px solid #e3e6ee; vertical-align: middle; }
th { text-align: left; background: #f3f5f9; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.hot td:first-child { font-weight: bold; } .breach { color: #b00020; } .warn { color: #8a5a00; } .ok { color: #1b6e20; }
svg.chart path.line { fill: none; stroke: #2456a6; stroke-width: 2; } svg.chart line.target { stroke: #b00020; stroke-dasharray: 4 3; }
svg.chart circle { fill: #2456a6; } svg.bars rect { fill: #6b87c4; } svg text { font-size: 11px; fill: #667; }
.note { color: #556; }
</style>
</head>
<body>
<h1>{{title .}}</h1>
<p class="note">From the {{source .}}. Every KPI over the {{.WindowHours}}h window, against its target (dashed in the charts) and the {{.WindowHours}}h before; a point per {{.TrendStepHours}}h.</p>

<h2>KPIs, hot first</h2>
{{with golive .}}<p class="note">{{.}}</p>
{{end}}{{$since := since .}}<table>
<tr><th>KPI</th><th>value</th>{{if $since}}<th>since go-live</th>{{end}}<th>target</th><th>status</th><th>change</th><th>trend</th><th>n</th></tr>
{{range .KPIs}}<tr{{if .Hot}} class="hot"{{end}}><td>{{.Label}}</td><td class="n">{{value .}}</td>{{if $since}}<td class="n">{{sincev .}}</td>{{end}}<td class="n">{{target .}}</td><td class="{{.Status}}">{{state .}}</td><td class="n">{{delta .}}</td><td>{{chart .}}</td><td class="n">{{.N}}</td></tr>
{{end}}</table>

<h2>Alerts that fired or still fire ({{len .Alerts}})</h2>
{{if .Alerts}}<ul>{{range .Alerts}}<li>{{when .At}} <strong>{{clean .Severity}}</strong> {{clean .Message}}</li>{{end}}</ul>{{else}}<p>None.</p>{{end}}

<h2>Sub-types, most grown first</h2>
<table>
<tr><th>sub-type</th><th>created</th><th>before</th><th>change</th><th>volume</th></tr>
{{range top .}}<tr><td>{{clean .SubType}}</td><td class="n">{{.Created}}</td><td class="n">{{.Previous}}</td><td class="n">{{printf "%+d" .Growth}}</td><td>{{bars .Volume}}</td></tr>
{{end}}</table>

<h2>SLA breaches per department</h2>
<table>
<tr><th>department</th><th>done with an SLA</th><th>breaches</th><th>compliance</th></tr>
{{range .SLAByDept}}<tr><td>{{clean .Department}}</td><td class="n">{{.Resolved}}</td><td class="n">{{.Breaches}}</td><td class="n">{{pct .Compliance}}</td></tr>
{{end}}</table>

<h2>Detractors not yet contacted ({{.WaitingTotal}})</h2>
{{if .Waiting}}<ul>{{$at := .At}}{{range .Waiting}}<li>{{clean .Ticket}}, customer {{clean .Customer}}, waiting {{age $at .Since}}</li>{{end}}{{if gt (more .) 0}}<li>… and {{more .}} more</li>{{end}}</ul>{{else}}<p>None.</p>{{end}}
{{if monthly .}}
<h2>What improved, what worsened</h2>
{{$d := .}}<p><strong>Improved:</strong> {{range $i, $id := .Improved}}{{if $i}}, {{end}}{{label $d $id}}{{else}}nothing{{end}}</p>
<p><strong>Worsened:</strong> {{range $i, $id := .Worsened}}{{if $i}}, {{end}}{{label $d $id}}{{else}}nothing{{end}}</p>

<h2>Closed loop</h2>
<table>
<tr><th>KPI</th><th>value</th><th>target</th><th>status</th><th>four weeks</th></tr>
{{range loop .}}<tr><td>{{.Label}}</td><td class="n">{{value .}}</td><td class="n">{{target .}}</td><td class="{{.Status}}">{{state .}}</td><td>{{chart .}}</td></tr>
{{end}}</table>

<h2>CSAT and NPS by segment</h2>
<table><tr><th>segment</th><th>CSAT</th><th>n</th><th>NPS</th><th>n</th></tr>
{{range .Segments}}<tr><td>{{clean .Value}}</td><td class="n">{{pct .CSAT}}</td><td class="n">{{.CSATN}}</td><td class="n">{{pts .NPS}}</td><td class="n">{{.NPSN}}</td></tr>
{{end}}</table>

<h2>CSAT and NPS by touchpoint</h2>
<table><tr><th>touchpoint</th><th>CSAT</th><th>n</th><th>NPS</th><th>n</th></tr>
{{range .Touchpoints}}<tr><td>{{clean .Value}}</td><td class="n">{{pct .CSAT}}</td><td class="n">{{.CSATN}}</td><td class="n">{{pts .NPS}}</td><td class="n">{{.NPSN}}</td></tr>
{{end}}</table>

<h2>NPS against revenue per segment</h2>
{{$d := .}}<table><tr><th>segment</th><th>category</th><th>customers</th><th>revenue ({{.Currency}})</th><th>per customer ({{.Currency}})</th><th>churned</th></tr>
{{range .NPSRevenue}}<tr><td>{{clean .Segment}}</td><td>{{.Category}}</td><td class="n">{{.Customers}}</td><td class="n">{{amount $d .Revenue}}</td><td class="n">{{money $d .RevenuePerCustomer}}</td><td class="n">{{.Churned}}/{{.PrevCustomers}}</td></tr>
{{end}}</table>

<h2>A/B forms</h2>
<table><tr><th>variant</th><th>started</th><th>completed</th><th>completion</th><th>lift</th><th>wins</th></tr>
{{range .AB}}<tr><td>{{clean .Variant}}{{if .Control}} (control){{end}}</td><td class="n">{{.Started}}</td><td class="n">{{.Completed}}</td><td class="n">{{pct .Rate}}</td><td class="n">{{pct .Lift}}</td><td>{{if .Wins}}yes{{end}}</td></tr>
{{end}}</table>
{{range $by, $rows := .Tickets}}
<h2>Tickets by {{$by}}</h2>
<table><tr><th>{{$by}}</th><th>new</th><th>backlog</th><th>done</th><th>handling</th><th>SLA</th><th>CSAT res</th><th>success</th></tr>
{{range $rows}}<tr><td>{{clean .Value}}</td><td class="n">{{.Created}}</td><td class="n">{{.Backlog}}</td><td class="n">{{.Resolved}}</td><td class="n">{{hours .HandlingH}}</td><td class="n">{{pct .SLA}}</td><td class="n">{{pct .CSATPostRes}}</td><td class="n">{{pct .Success}}</td></tr>
{{end}}</table>
{{end}}{{end}}
</body>
</html>
`
