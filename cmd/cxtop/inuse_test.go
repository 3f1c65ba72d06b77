package main

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestStoreInUseByAnotherProcess holds a store open for writing in one real
// cxtop process (a hub) and checks that a second one is refused with a
// clear line instead of waiting on the lock.
func TestStoreInUseByAnotherProcess(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	hub := exec.Command(binary, "hub", "--db", db, "--listen", "127.0.0.1:0")
	hub.Env = []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	stderr, err := hub.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := hub.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		hub.Process.Kill()
		hub.Wait()
	}()
	serving := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "serving") {
				serving <- true
			}
		}
		close(serving)
	}()
	select {
	case ok := <-serving:
		if !ok {
			t.Fatal("hub exited before serving")
		}
	case <-time.After(60 * time.Second):
		t.Fatal("hub did not start")
	}
	for _, args := range [][]string{{"tickets"}, {"export"}, {"simulate", "--days", "1"}} {
		r := cxtop(t, nil, append(args, "--db", db)...)
		wantOneLineError(t, r, 1, "store is in use by another cxtop process")
	}
}
