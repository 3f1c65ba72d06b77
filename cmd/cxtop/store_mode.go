package main

import (
	"fmt"
	"os"
)

// warnLooseMode says, on stderr, when a store can be read by other users:
// it holds customers' names, contacts and messages. Stores cxtop creates
// are 0600; a copy or an umask may have widened one.
func (a *app) warnLooseMode(path string) {
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm()&0o077 == 0 {
		return
	}
	fmt.Fprintf(a.io.err, "cxtop: warning: %s is readable by other users (mode %04o) and holds customers' personal data: chmod 600 %s\n",
		path, fi.Mode().Perm(), path)
}
