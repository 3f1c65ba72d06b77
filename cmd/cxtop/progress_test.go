package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// Long work shows its progress: a bar redrawn in place on a terminal, a
// plain line every 10 seconds otherwise, with the rate and the time left.
func TestProgressLines(t *testing.T) {
	if got := progressText("simulate", "records", 0.25, 120_000, 30*time.Second); got != "simulate:  25% · 120,000 records · 4,000 records/s · 1m30s left" {
		t.Errorf("progress text %q", got)
	}
	if got := progressText("import", "records", -1, 5000, time.Second); got != "import: 5,000 records · 5,000 records/s" {
		t.Errorf("unknown total: %q", got)
	}
	clock := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	var plain bytes.Buffer
	p := newProgress(&plain, false, "import", "records", now)
	for i := 1; i <= 30; i++ {
		clock = clock.Add(time.Second)
		p.Update(float64(i)/30, int64(i*1000))
	}
	p.Done()
	lines := strings.Split(strings.TrimSpace(plain.String()), "\n")
	if len(lines) != 3 || strings.Contains(plain.String(), "\r") || !strings.HasPrefix(lines[0], "import:  33% · 10,000 records") {
		t.Errorf("not a terminal: want a plain line every 10s, got %q", plain.String())
	}
	var tty bytes.Buffer
	clock = clock.Add(time.Hour)
	p = newProgress(&tty, true, "simulate", "records", now)
	clock = clock.Add(time.Second)
	p.Update(0.5, 1000)
	p.Done()
	if out := tty.String(); !strings.HasPrefix(out, "\r\x1b[2K") || !strings.Contains(out, "█") || !strings.Contains(out, "simulate:  50%") || !strings.HasSuffix(out, "\r\x1b[2K") {
		t.Errorf("terminal: want a bar redrawn in place and cleared at the end, got %q", out)
	}
}
