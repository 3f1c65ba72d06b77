// Package load measures `cxtop serve` under many SSH sessions on one
// engine: CPU, heap and the time from a commit to each session's frame,
// beside one session measured in the same run. The SSH clients
// (golang.org/x/crypto/ssh) run in a child process, the caller's own
// binary started again with ClientEnv set, so that what is measured is
// the server's alone. `cxtop bench --only serve` and BenchmarkServeLoad
// run it.
package load
