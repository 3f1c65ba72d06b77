//go:build !unix

package serve

// pipes: elsewhere the program reads the channel itself.
const pipes = false
