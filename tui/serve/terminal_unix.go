//go:build unix

package serve

// pipes: the program reads its keys from a pipe, which its reader can
// cancel (epoll).
const pipes = true
