package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// updateReports rewrites the reports' golden files: go test ./cmd/cxtop -run Report -update-reports
var updateReports = flag.Bool("update-reports", false, "rewrite testdata/report/*")

// reportKPIs reads the kpis of a report's or of `cxtop kpi`'s JSON by id.
func reportKPIs(t *testing.T, out string) map[string]*float64 {
	t.Helper()
	var doc struct {
		KPIs []struct {
			ID    string   `json:"id"`
			Value *float64 `json:"value"`
		} `json:"kpis"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	m := map[string]*float64{}
	for _, k := range doc.KPIs {
		m[k.ID] = k.Value
	}
	return m
}

// reportSinceGoLive reads each KPI's value since go-live from a report's
// JSON, by id (none without a programme go-live).
func reportSinceGoLive(t *testing.T, out string) map[string]*float64 {
	t.Helper()
	var doc struct {
		KPIs []struct {
			ID    string `json:"id"`
			Since *struct {
				Value *float64 `json:"value"`
			} `json:"since_go_live"`
		} `json:"kpis"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	m := map[string]*float64{}
	for _, k := range doc.KPIs {
		if k.Since != nil {
			m[k.ID] = k.Since.Value
		}
	}
	return m
}

// TestReportsEqualKPIAndGoldens: both reports in every format against their
// golden files (a simulated store is the same every run); the figures of
// each equal `cxtop kpi` over the same window; the HTML parses, holds an
// SVG chart per KPI and nothing that needs the network or a script; and a
// masked snapshot gives the same figures.
func TestReportsEqualKPIAndGoldens(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	programme := filepath.Join(dir, "programme.toml")
	os.WriteFile(programme, []byte("[kpi]\nprogramme_cost = 5000000000\n\n[programme]\ngo_live = 2026-10-27\n\n[programme.baselines]\norder_processing_h = 120\ncsat = 0.72\n"), 0o600)
	for _, tc := range []struct{ kind, window, config, golden string }{
		{"weekly", "7d", "", "weekly"}, {"monthly", "30d", "", "monthly"}, {"monthly", "30d", programme, "monthly-programme"},
	} {
		var cfg []string
		if tc.config != "" {
			cfg = []string{"--config", tc.config}
		}
		kpis := reportKPIs(t, cxtop(t, nil, append([]string{"kpi", "--db", db, "--at", simEnd, "--window", tc.window, "--json"}, cfg...)...).out)
		var since map[string]*float64 // `cxtop kpi --since go-live` with a programme
		if tc.config != "" {
			since = reportKPIs(t, cxtop(t, nil, append([]string{"kpi", "--db", db, "--at", simEnd, "--since", "go-live", "--json"}, cfg...)...).out)
		}
		for _, format := range []string{"md", "json", "html"} {
			r := cxtop(t, nil, append([]string{"report", tc.kind, "--db", db, "--at", simEnd, "--format", format}, cfg...)...)
			if r.code != 0 {
				t.Fatalf("report %s --format %s: %+v", tc.kind, format, r)
			}
			if hasSince := strings.Contains(strings.ToLower(r.out), "since go-live") || strings.Contains(r.out, `"since_go_live"`); hasSince != (tc.config != "") {
				t.Errorf("report %s --format %s with config %q: since go-live shown %v", tc.kind, format, tc.config, hasSince)
			}
			golden := filepath.Join("testdata", "report", tc.golden+"."+format)
			if *updateReports {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				os.WriteFile(golden, []byte(r.out), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test ./cmd/cxtop -run Report -update-reports writes it)", err)
			}
			if r.out != string(want) {
				t.Errorf("report %s --format %s differs from %s (-update-reports rewrites it):\n%s", tc.kind, format, golden, r.out)
			}
			switch format {
			case "json":
				got := reportKPIs(t, r.out)
				if len(got) != len(kpis) || len(got) < 20 {
					t.Fatalf("%s: %d KPIs, kpi gives %d", tc.kind, len(got), len(kpis))
				}
				for id, v := range kpis {
					wantClose(t, tc.kind+" "+id, got[id], v)
				}
				gotSince := reportSinceGoLive(t, r.out)
				if len(gotSince) != len(since) {
					t.Fatalf("%s: %d KPIs since go-live, kpi --since go-live gives %d", tc.golden, len(gotSince), len(since))
				}
				for id, v := range since {
					wantClose(t, tc.golden+" since go-live "+id, gotSince[id], v)
				}
			case "html":
				checkReportHTML(t, tc.kind, r.out, len(kpis))
			}
		}
	}

	// A masked snapshot's report has the same figures.
	snap, masked := filepath.Join(dir, "snap.db"), filepath.Join(dir, "masked.db")
	if r := cxtop(t, nil, "snapshot", "--db", db, "--out", snap); r.code != 0 {
		t.Fatal(r.errOut)
	}
	if r := cxtop(t, nil, "snapshot", "--db", db, "--out", masked, "--mask"); r.code != 0 {
		t.Fatal(r.errOut)
	}
	a := cxtop(t, nil, "report", "monthly", "--db", snap, "--at", simEnd, "--format", "json")
	b := cxtop(t, nil, "report", "monthly", "--db", masked, "--at", simEnd, "--format", "json")
	ka, kb := reportKPIs(t, a.out), reportKPIs(t, b.out)
	for id, v := range ka {
		wantClose(t, "masked "+id, kb[id], v)
	}
	if !strings.Contains(b.out, `"masked": true`) {
		t.Error("the masked snapshot's report does not say it is masked")
	}
	// --out writes the file, 0600; a bad format is refused.
	out := filepath.Join(dir, "review.html")
	if r := cxtop(t, nil, "report", "monthly", "--db", snap, "--format", "html", "--out", out); r.code != 0 || r.out != "" {
		t.Fatalf("report --out: %+v", r)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("report file: %v %v", fi, err)
	}
	wantOneLineError(t, runIn(t, "report", "daily"), 2, `report "daily": use weekly or monthly`)
	wantOneLineError(t, runIn(t, "report", "weekly", "--format", "pdf"), 2, `--format "pdf": use md, json or html`)
}

// checkReportHTML parses a report as HTML: one document with an SVG chart
// per KPI, no script, and no reference outside the file.
func checkReportHTML(t *testing.T, kind, doc string, kpis int) {
	t.Helper()
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("%s HTML: %v", kind, err)
	}
	svgs := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "svg":
				svgs++
			case "script", "iframe", "object", "embed", "link", "img":
				t.Errorf("%s HTML has a <%s>: it must open offline without scripts", kind, n.Data)
			}
			for _, a := range n.Attr {
				if (a.Key == "src" || a.Key == "href") || strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s HTML: <%s %s=%q> reaches outside the file or runs code", kind, n.Data, a.Key, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	if svgs < kpis {
		t.Errorf("%s HTML: %d SVG charts for %d KPIs", kind, svgs, kpis)
	}
	// The tokenizer sees every tag closed as it was opened.
	z := html.NewTokenizer(bytes.NewReader([]byte(doc)))
	depth := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		name, _ := z.TagName()
		switch {
		case tt == html.StartTagToken && !voidElement[string(name)]:
			depth++
		case tt == html.EndTagToken:
			depth--
		}
	}
	if depth != 0 {
		t.Errorf("%s HTML: %d tags left open", kind, depth)
	}
}

var voidElement = map[string]bool{"meta": true, "br": true, "hr": true, "img": true, "link": true, "input": true}
