package store

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
)

// A snapshot taken while a writer commits continuously is a whole store:
// bbolt's page check and cxtop's own consistency check pass on it, its
// description counts what it holds, and the writer was never refused.
func TestSnapshotDuringContinuousWrites(t *testing.T) {
	s := openTemp(t)
	rng := rand.New(rand.NewPCG(7, 8))
	var seed []model.Record
	for range 3000 {
		seed = append(seed, randomRecord(rng, 2000))
	}
	if _, err := s.Write(seed); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var writes atomic.Int64
	var werr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		wrng := rand.New(rand.NewPCG(9, 10))
		for !stop.Load() {
			batch := []model.Record{randomRecord(wrng, 5000), randomRecord(wrng, 5000)}
			if _, err := s.Write(batch); err != nil {
				werr = err
				return
			}
			writes.Add(1)
		}
	}()
	for writes.Load() < 20 {
		time.Sleep(time.Millisecond)
	}
	dir := t.TempDir()
	var snaps []string
	for i := range 3 {
		p := filepath.Join(dir, "snap"+string(rune('a'+i))+".db")
		res, err := s.Snapshot(p, SnapshotOptions{Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Bytes == 0 || res.Info.Seq == 0 {
			t.Fatalf("snapshot %d: %+v", i, res)
		}
		snaps = append(snaps, p)
	}
	stop.Store(true)
	wg.Wait()
	if werr != nil {
		t.Fatalf("the writer failed during the snapshots: %v", werr)
	}
	for _, p := range snaps {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", p, fi.Mode().Perm())
		}
		if _, err := os.Stat(p + ".partial"); !os.IsNotExist(err) {
			t.Errorf("%s: the temporary file is left: %v", p, err)
		}
		r, err := Open(p, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		rep := mustCheck(t, r)
		info, ok, err := r.SnapshotInfo()
		if err != nil || !ok {
			t.Fatalf("%s: no snapshot description (%v)", p, err)
		}
		seq, _ := r.Seq()
		if info.Seq != seq || info.Tickets != rep.Tickets || info.Feedback != rep.Feedback || info.Events != rep.Events ||
			info.Version != "test" || info.From != s.Path() || info.TakenAt.IsZero() {
			t.Errorf("%s: description %+v, store seq %d, check %+v", p, info, seq, rep)
		}
		r.Close()
	}
}

func TestSnapshotRefusesExistingAndLeftoverFiles(t *testing.T) {
	s := openTemp(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "s.db")
	if err := os.WriteFile(p+".partial", []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Snapshot(p, SnapshotOptions{}); err == nil {
		t.Fatal("a leftover temporary file should be refused, not overwritten")
	}
	if b, _ := os.ReadFile(p + ".partial"); string(b) != "x" {
		t.Fatal("the leftover file was changed")
	}
	os.Remove(p + ".partial")
	if _, err := s.Snapshot(p, SnapshotOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Snapshot(p, SnapshotOptions{}); err == nil {
		t.Fatal("a snapshot over an existing file should fail")
	}
	if _, ok, err := s.SnapshotInfo(); ok || err != nil {
		t.Fatalf("a live store is not a snapshot: ok=%v err=%v", ok, err)
	}
}
