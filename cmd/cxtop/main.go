// Command cxtop is a terminal operations console for customer-experience
// teams. This package only wires flags to the packages that do the work.
package main

import (
	"os"

	"github.com/cxtop/cxtop/tui/serve/load"
)

func main() {
	// `cxtop bench`'s serve row starts this binary again as its SSH
	// clients, in a process of their own.
	if load.IsClient() {
		os.Exit(load.ClientMain())
	}
	os.Exit(run(os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}, os.Getenv))
}
