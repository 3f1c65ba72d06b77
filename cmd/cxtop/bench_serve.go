package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/cxtop/cxtop/tui/serve/load"
)

// The serve row: benchSessions SSH sessions (--serve-sessions) of
// benchServeW × benchServeH on one engine over the main store, one commit
// a second.
const (
	benchSessions = 200
	benchServeW   = 120
	benchServeH   = 40
	// Bounds of --serve-for: each of the two phases commits that long.
	minServeFor = time.Second
	maxServeFor = time.Hour
)

// serve serves the main store over SSH to one session, then to
// b.sessions (the clients are this binary again, in a child process,
// so the figures are the server's alone), and reports the many sessions'
// CPU, heap and commit-to-frame p99 beside the one session's.
func (b *bench) serve() error {
	st, err := b.openMain()
	if err != nil {
		return err
	}
	defer st.Close()
	mask, err := b.app.sessionMask(false, false) // as `cxtop serve` masks its viewers
	if err != nil {
		return err
	}
	eo := b.app.engineOptions()
	eo.Control = nil // no control socket for a store of the bench's own
	heapProfile := ""
	if b.profile != "" {
		// What holds the heap while the many sessions are open, beside the
		// row's CPU profile (serve.pprof).
		heapProfile = filepath.Join(b.profile, "serve.heap.pprof")
	}
	res, err := load.Run(context.Background(), load.Options{Store: st, Engine: eo, Config: b.app.cfg.TUI(), Mask: mask,
		Sessions: b.sessions, Width: benchServeW, Height: benchServeH, For: b.serveFor, Dir: b.path("serve"),
		HeapProfile: heapProfile,
		Logf:        func(format string, args ...any) { b.say("serve: "+format, args...) }})
	if err != nil {
		return err
	}
	ref := "1 session, same run"
	one, many := res.One, res.Many
	note := fmt.Sprintf("%d sessions %d×%d, %s of commits a phase, %d of %d frames seen", many.Sessions, benchServeW, benchServeH,
		b.serveFor, many.Seen, many.Want)
	rows := []benchRow{
		newRow("serve.cpu", many.CPU, "% of a core", ref, one.CPU, atMost(20, "< 20 % of a core")),
		newRow("serve.heap", many.HeapMB, "MB", ref, one.HeapMB, atMost(64, "< 64 MB")),
		newRow("serve.p99", ms(many.P99), "ms", ref, ms(one.P99), atMost(200, "< 200 ms")),
		newRow("serve.p50", ms(many.P50), "ms", ref, ms(one.P50)),
	}
	for i := range rows {
		rows[i].Note = note
	}
	b.add(rows...)
	return nil
}
