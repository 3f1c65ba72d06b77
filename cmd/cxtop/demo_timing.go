package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/replica"
)

// demoTiming is the demo's measurement path (hidden flags): how long the
// history takes to arrive in the console's store, the figure of issue 14,
// optionally with a CPU profile of the whole start. It measures; it never
// asserts a time.
type demoTiming struct {
	UntilSynced bool   // --until-synced: quit once the history is in the console's store
	CPUProfile  string // --cpuprofile FILE: profile the demo until it ends
	Out         io.Writer

	start   time.Time
	hubSeq  atomic.Uint64 // the hub's sequence once its history is written, 0 before
	hubDone atomic.Int64  // nanoseconds from start to the history being in the hub
	stopCPU func()
}

// begin starts the clock and the profile.
func (t *demoTiming) begin() error {
	t.start = time.Now()
	t.stopCPU = func() {}
	if t.CPUProfile == "" {
		return nil
	}
	f, err := os.Create(t.CPUProfile)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("demo: %w", err)
	}
	t.stopCPU = func() { pprof.StopCPUProfile(); f.Close() }
	return nil
}

// historyInHub marks the history written to the hub's store, up to seq.
func (t *demoTiming) historyInHub(seq uint64) {
	t.hubDone.Store(int64(time.Since(t.start)))
	t.hubSeq.Store(seq)
}

// watch waits until the console's store holds the hub's whole history (its
// sync cursor reaches the hub's sequence at the end of the history), then
// says so in the log (and on Out with --until-synced) and calls arrived.
func (t *demoTiming) watch(ctx context.Context, local *store.Store, logf func(string, ...any), arrived func()) {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		want := t.hubSeq.Load()
		if want == 0 {
			continue
		}
		c, err := replica.ReadCursor(local)
		if err != nil || cursorSeq(c) < want {
			continue
		}
		n, _ := local.Seq()
		line := fmt.Sprintf("demo: history in the hub after %.2f s, in the console's store after %.2f s, %.2f s of CPU (hub sequence %d, console sequence %d)",
			time.Duration(t.hubDone.Load()).Seconds(), time.Since(t.start).Seconds(), cpuSeconds(), want, n)
		logf("%s", line)
		if t.UntilSynced {
			fmt.Fprintln(t.Out, line)
		}
		arrived()
		return
	}
}

// cpuSeconds is the process's CPU time so far, user and system: a figure
// less moved by the other work on a shared machine than the wall time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// cursorSeq is the sequence a hub cursor ("<store id>.<seq>") resumes
// after; 0 for none.
func cursorSeq(c string) uint64 {
	i := strings.LastIndexByte(c, '.')
	if i < 0 {
		return 0
	}
	n, _ := strconv.ParseUint(c[i+1:], 10, 64)
	return n
}
