package control

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestLockHolderParsesProcLocks(t *testing.T) {
	locks := `1: POSIX  ADVISORY  WRITE 900 08:01:1234 0 EOF
2: FLOCK  ADVISORY  READ  901 08:01:1234 0 EOF
2: -> FLOCK  ADVISORY  WRITE 903 08:01:1234 0 EOF
3: FLOCK  ADVISORY  WRITE 902 fd:01:1234 0 EOF
4: FLOCK  ADVISORY  WRITE 904 08:01:99 0 EOF
`
	for _, tc := range []struct {
		major, minor, ino uint64
		pid               int
		write, ok         bool
	}{
		{8, 1, 1234, 901, false, true},   // the granted flock (shared), not the POSIX lock or the waiter
		{0xfd, 1, 1234, 902, true, true}, // device numbers are hex
		{8, 1, 99, 904, true, true},
		{8, 2, 1234, 0, false, false},
	} {
		pid, write, ok := lockHolder(bufio.NewScanner(strings.NewReader(locks)), tc.major, tc.minor, tc.ino)
		if pid != tc.pid || write != tc.write || ok != tc.ok {
			t.Errorf("%x:%x:%d: pid %d %v %v, want %d %v %v", tc.major, tc.minor, tc.ino, pid, write, ok, tc.pid, tc.write, tc.ok)
		}
	}
}

func TestFindHolderFindsThisProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cx.db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, ok := FindHolder(path); ok {
		t.Fatal("a holder of a file nobody locked")
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	h, ok := FindHolder(path)
	if !ok || h.PID != os.Getpid() || h.Shared || !strings.Contains(h.Command, "control.test") {
		t.Fatalf("holder %+v %v, want this test process", h, ok)
	}
}
