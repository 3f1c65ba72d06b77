package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/cmd/cxtop/config"
	"github.com/cxtop/cxtop/store"
)

// rotateFlags are --snapshot-every, --snapshot-dir and --keep: sync and
// serve take a snapshot of the store they hold every so often and keep the
// newest few.
type rotateFlags struct {
	every time.Duration
	dir   string
	keep  int
}

func (f *rotateFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.DurationVar(&f.every, "snapshot-every", 0, "take a snapshot of the store this often (like 1h; default [snapshot] every, else never)")
	fl.StringVar(&f.dir, "snapshot-dir", "", "where rotated snapshots go (default: snapshots/ beside the store)")
	fl.IntVar(&f.keep, "keep", config.DefaultSnapshotKeep, "rotated snapshots to keep, the newest (1–1000; default [snapshot] keep or 7)")
}

// check validates the flags over the [snapshot] section of the config
// (flags win) and fills the default directory.
func (f *rotateFlags) check(cmd *cobra.Command, cfg config.Snapshot, dbPath string) error {
	fl := cmd.Flags()
	if !fl.Changed("snapshot-every") {
		f.every = cfg.Every.Duration
	}
	if !fl.Changed("snapshot-dir") && f.every != 0 {
		f.dir = cfg.Dir
	}
	if !fl.Changed("keep") {
		f.keep = cfg.KeepOrDefault()
	}
	switch {
	case f.every == 0:
		if f.dir != "" {
			return usagef("--snapshot-dir needs --snapshot-every: how often to take a snapshot")
		}
		return nil
	case f.every < time.Second || f.every > 30*24*time.Hour:
		return usagef("--snapshot-every %s is out of range: use 1s to 720h", f.every)
	case f.keep < 1 || f.keep > 1000:
		return usagef("--keep %d is out of range: use 1 to 1000", f.keep)
	}
	if f.dir == "" {
		f.dir = filepath.Join(filepath.Dir(dbPath), "snapshots")
	}
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return fmt.Errorf("--snapshot-dir %s: %w", f.dir, unwrapPathError(err))
	}
	return nil
}

// start takes a snapshot every f.every until ctx ends or stop is called,
// and removes the oldest rotated snapshots beyond f.keep. A failed snapshot
// is logged and retried at the next tick: the sync must go on.
func (f rotateFlags) start(ctx context.Context, s *store.Store, dbPath string, logf func(string, ...any)) (stop func()) {
	if f.every == 0 {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(f.every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				out := snapshotName(f.dir, dbPath, now)
				res, err := takeSnapshot(s, out, false)
				if err != nil {
					logf("snapshot: %v", err)
					continue
				}
				logf("snapshot: %s (%.1f MB in %s)", out, float64(res.Bytes)/1e6, res.Copy.Round(time.Millisecond))
				for _, old := range rotatedBeyond(f.dir, dbPath, f.keep) {
					if err := os.Remove(old); err != nil {
						logf("snapshot: remove %s: %v", old, err)
					}
				}
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}

// rotatedBeyond lists the rotated snapshots of dbPath in dir beyond the
// newest keep: files named as snapshotName names them, nothing else.
func rotatedBeyond(dir, dbPath string, keep int) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	stem := strings.TrimSuffix(filepath.Base(dbPath), filepath.Ext(dbPath)) + "-"
	var names []string
	for _, e := range entries {
		n := e.Name()
		at, ok := strings.CutPrefix(n, stem)
		if !ok || !e.Type().IsRegular() {
			continue
		}
		if _, err := time.Parse(snapshotTimeLayout+".db", at); err == nil {
			names = append(names, n)
		}
	}
	slices.Sort(names) // the time in the name sorts oldest first
	var out []string
	for len(names) > keep {
		out = append(out, filepath.Join(dir, names[0]))
		names = names[1:]
	}
	return out
}
