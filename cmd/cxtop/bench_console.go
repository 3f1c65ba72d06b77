package main

import (
	"slices"
	"time"

	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/tui"
)

// The console rows: a viewer console of 200×60 on the main store (with
// benchAlerts alerts stored), its clock at the end of the history so every
// pane has data; idle uses the real clock.
const (
	benchWidth  = 200
	benchHeight = 60
	frameRuns   = 20
	viewRuns    = 500
)

func benchNow() time.Time { return benchEnd }

// firstFrame opens the store read-only and draws the first complete frame
// (p50, p99 of frameRuns), against the open and the queue's first page.
func (b *bench) firstFrame() error {
	var frames, pages []time.Duration
	for i := 0; i < frameRuns; i++ {
		start := time.Now()
		st, err := store.Open(b.mainPath, store.Options{ReadOnly: true})
		if err != nil {
			return err
		}
		open := time.Since(start)
		f, err := tui.MeasureFirstFrame(st, b.app.cfg.TUI(), benchWidth, benchHeight, benchNow)
		if err != nil {
			st.Close()
			return err
		}
		frames = append(frames, open+f.Total())
		start = time.Now()
		_, err = st.Tickets(store.TicketQuery{Limit: 50})
		pages = append(pages, open+time.Since(start))
		st.Close()
		if err != nil {
			return err
		}
	}
	slices.Sort(frames)
	slices.Sort(pages)
	ref := "open + the queue's first 50 rows"
	b.add(newRow("first_frame.p50", ms(p(frames, 50)), "ms", ref, ms(p(pages, 50)), atMost(20, "≤ 20 ms")),
		newRow("first_frame.p99", ms(p(frames, 99)), "ms", ref, ms(p(pages, 99)), atMost(20, "≤ 20 ms")))
	return nil
}

// p is the q-th percentile of sorted durations.
func p(sorted []time.Duration, q int) time.Duration {
	return sorted[min(len(sorted)-1, len(sorted)*q/100)]
}

// view draws the loaded frame viewRuns times, against joining 60 lines of
// 200 cells (the floor of any View).
func (b *bench) view() error {
	st, err := store.Open(b.mainPath, store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer st.Close()
	view, join, err := tui.MeasureView(st, b.app.cfg.TUI(), benchWidth, benchHeight, viewRuns, benchNow)
	if err != nil {
		return err
	}
	ref := "join 60 pre-built lines of 200 cells"
	b.add(newRow("view.p50", ms(p(view, 50)), "ms", ref, ms(p(join, 50)), atMost(2, "≤ 2 ms")),
		newRow("view.p99", ms(p(view, 99)), "ms", ref, ms(p(join, 99)), atMost(2, "≤ 2 ms")))
	return nil
}

// idleFor is how long the idle row watches: past one 5-second refresh.
const idleFor = 6 * time.Second

// idle runs a real console program on the store with the real clock and
// counts the bytes it writes while nothing changes, against the bytes of
// its first frame.
func (b *bench) idle() error {
	st, err := store.Open(b.mainPath, store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer st.Close()
	idle, first, err := tui.MeasureIdle(st, b.app.cfg.TUI(), benchWidth, benchHeight, 2*time.Second, idleFor)
	if err != nil {
		return err
	}
	b.add(newRow("idle", float64(idle)/idleFor.Seconds(), "bytes/s", "bytes of the first frame", float64(first), atMost(0, "0")))
	return nil
}
