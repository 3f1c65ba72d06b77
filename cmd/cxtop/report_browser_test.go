package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// browser finds a headless-capable Chromium; on a developer's machine
// without one the test is skipped, in CI (CI set), where .ci/run installs
// it, a missing browser fails.
func browser(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed, and CI must open the HTML report in a browser: .ci/run installs it")
	}
	t.Skip("chromium is not installed: apt-get install chromium (.ci/run does)")
	return ""
}

// TestReportInHeadlessBrowser opens the monthly HTML report, offline, in a
// real headless Chromium: the document it builds holds the report's title
// and its SVG charts, and it renders to a screenshot.
func TestReportInHeadlessBrowser(t *testing.T) {
	bin := browser(t)
	dir := t.TempDir()
	db := simulated(t, dir)
	page := filepath.Join(dir, "review.html")
	if r := cxtop(t, nil, "report", "monthly", "--db", db, "--at", simEnd, "--format", "html", "--out", page); r.code != 0 {
		t.Fatalf("report: %+v", r)
	}
	// A browser that crashes (Chromium segfaulted once on a loaded
	// machine) says nothing of the report: it is started again, up to
	// three times, with a fresh profile; what it prints is checked below.
	run := func(args ...string) []byte {
		t.Helper()
		var err error
		for try := 1; try <= 3; try++ {
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			cmd := exec.CommandContext(ctx, bin, append([]string{"--headless", "--no-sandbox", "--disable-gpu",
				"--disable-background-networking", "--no-first-run", "--user-data-dir=" + filepath.Join(dir, fmt.Sprintf("profile-%d", try))}, args...)...)
			var out []byte
			out, err = cmd.Output()
			cancel()
			if err == nil {
				return out
			}
			t.Logf("%s %v, try %d: %v", bin, args, try, err)
		}
		t.Fatalf("%s %v: %v", bin, args, err)
		return nil
	}
	dom := string(run("--dump-dom", "file://"+page))
	if !strings.Contains(dom, "<h1>Monthly review: ") || strings.Count(dom, "<svg") < 20 || !strings.Contains(dom, "<path class=\"line\"") {
		t.Fatalf("the browser's document lacks the report or its charts:\n%.2000s", dom)
	}
	shot := filepath.Join(dir, "review.png")
	run("--screenshot="+shot, "--window-size=1200,2000", "file://"+page)
	if fi, err := os.Stat(shot); err != nil || fi.Size() < 10_000 {
		t.Fatalf("the report did not render: %v %v", fi, err)
	}
}
