// Command cxtop is a terminal operations console for customer-experience
// teams. This package only wires flags to the packages that do the work.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}, os.Getenv))
}
