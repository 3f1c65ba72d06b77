//go:build !unix

package hub

// openFileLimit is unknown here: the connection bound stays as configured.
func openFileLimit() int { return 0 }
