package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/progress"

	"github.com/cxtop/cxtop/model"
)

// Long work (simulate, import, the automations' first pass) reports its
// progress on stderr: on a terminal a bar (bubbles' progress, rendered
// without a Bubble Tea program) redrawn in place with the rate and the
// time left; otherwise a plain line every plainEvery, so a log shows the
// work is moving without filling up.
const (
	ttyEvery   = 150 * time.Millisecond
	plainEvery = 10 * time.Second
	barWidth   = 30
)

// progressLine is one piece of long work's progress.
type progressLine struct {
	mu    sync.Mutex
	out   io.Writer
	tty   bool
	what  string // "simulate", "import"
	unit  string // "records"
	bar   progress.Model
	start time.Time
	last  time.Time
	now   func() time.Time
	drawn bool
}

// newProgress starts reporting on w (a terminal when tty).
func newProgress(w io.Writer, tty bool, what, unit string, now func() time.Time) *progressLine {
	if now == nil {
		now = time.Now
	}
	t := now()
	return &progressLine{out: w, tty: tty, what: what, unit: unit, now: now, start: t, last: t,
		bar: progress.New(progress.WithDefaultGradient(), progress.WithWidth(barWidth), progress.WithoutPercentage())}
}

// Update reports that count units are done, a fraction of the whole
// (0–1; negative when unknown). It draws only when it is time to.
func (p *progressLine) Update(fraction float64, count int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.now()
	every := plainEvery
	if p.tty {
		every = ttyEvery
	}
	if t.Sub(p.last) < every {
		return
	}
	p.last = t
	line := progressText(p.what, p.unit, fraction, count, t.Sub(p.start))
	if p.tty {
		bar := ""
		if fraction >= 0 {
			bar = p.bar.ViewAs(min(fraction, 1)) + " "
		}
		fmt.Fprintf(p.out, "\r\x1b[2K%s%s", bar, line)
		p.drawn = true
		return
	}
	fmt.Fprintln(p.out, line)
}

// Done clears the bar, so the command's own last line stands alone.
func (p *progressLine) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.drawn {
		fmt.Fprint(p.out, "\r\x1b[2K")
	}
}

// progressText is the words of a progress line: "simulate: 42% · 120,000
// records · 40,000 records/s · 22s left".
func progressText(what, unit string, fraction float64, count int64, elapsed time.Duration) string {
	var parts []string
	if fraction >= 0 {
		parts = append(parts, fmt.Sprintf("%3.0f%%", 100*min(fraction, 1)))
	}
	parts = append(parts, thousands(count)+" "+unit)
	if s := elapsed.Seconds(); s > 0 {
		parts = append(parts, thousands(int64(float64(count)/s))+" "+unit+"/s")
	}
	if fraction > 0 && fraction < 1 {
		left := time.Duration(float64(elapsed) * (1 - fraction) / fraction)
		parts = append(parts, ShortLeft(left)+" left")
	}
	return what + ": " + strings.Join(parts, " · ")
}

// ShortLeft writes a time left to the second under an hour ("2m05s").
func ShortLeft(d time.Duration) string {
	d = d.Round(time.Second)
	if d >= time.Hour {
		return d.Round(time.Minute).String()
	}
	return d.String()
}

// thousands writes n with thousands separators, 1,234,567: the money
// formatter with no decimals does exactly that.
func thousands(n int64) string { return model.Currency{}.FormatFloat(float64(n)) }

// progress starts a progress report on the command's stderr.
func (a *app) progress(what, unit string) *progressLine {
	return newProgress(a.io.err, isTerminal(a.io.err), what, unit, nil)
}
