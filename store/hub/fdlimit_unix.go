//go:build unix

package hub

import "syscall"

// openFileLimit is how many files this process may hold open (the soft
// RLIMIT_NOFILE, which the Go runtime raises to the hard one at start),
// or 0 when it cannot be read.
func openFileLimit() int {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil || rl.Cur > 1<<30 {
		return 0
	}
	return int(rl.Cur)
}
