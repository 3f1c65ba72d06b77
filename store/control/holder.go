package control

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/cxtop/cxtop/model"
)

// Holder is the process that holds a file's lock, as /proc/locks says.
type Holder struct {
	PID     int
	Command string // its command line, sanitized and clipped; "" when unreadable
	Shared  bool   // it holds the file read-only (a shared lock), not for writing
}

func (h Holder) String() string {
	if h.Command == "" {
		return fmt.Sprintf("process %d", h.PID)
	}
	return fmt.Sprintf("process %d (%s)", h.PID, h.Command)
}

// FindHolder looks in /proc/locks for the flock held on path's inode (bbolt
// locks its file with flock) and reads the holder's command line. ok is
// false when no such lock is listed (the holder just exited, or /proc is
// not there).
func FindHolder(path string) (h Holder, ok bool) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return Holder{}, false
	}
	f, err := os.Open("/proc/locks")
	if err != nil {
		return Holder{}, false
	}
	defer f.Close()
	pid, write, ok := lockHolder(bufio.NewScanner(f), uint64(unix.Major(st.Dev)), uint64(unix.Minor(st.Dev)), st.Ino)
	if !ok {
		return Holder{}, false
	}
	return Holder{PID: pid, Command: commandLine(pid), Shared: !write}, true
}

// lockHolder finds the pid of a granted FLOCK on (major, minor, inode) in
// /proc/locks lines: "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF".
// Waiters ("1: -> FLOCK ...") are skipped; a writer is preferred to a
// reader, and write says which was found.
func lockHolder(sc *bufio.Scanner, major, minor, ino uint64) (pid int, write, ok bool) {
	want := fmt.Sprintf("%02x:%02x:%d", major, minor, ino)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 6 || f[1] != "FLOCK" {
			continue
		}
		if !strings.EqualFold(f[5], want) {
			continue
		}
		p, err := strconv.Atoi(f[4])
		if err != nil || p <= 0 {
			continue
		}
		if f[3] == "WRITE" {
			return p, true, true
		}
		pid, ok = p, true
	}
	return pid, false, ok
}

// maxCommandLine bounds the command line shown in a message.
const maxCommandLine = 160

func commandLine(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		return ""
	}
	args := strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
	s := model.Sanitize(strings.Join(args, " "))
	if r := []rune(s); len(r) > maxCommandLine {
		s = string(r[:maxCommandLine-1]) + "…"
	}
	return s
}
