// Package control is the local control socket of a cxtop that holds a
// store for writing: a Unix socket, mode 0600, that accepts only its own
// user and runs a command line for a client against the held store,
// streaming back the command's stdout, stderr and exit status.
//
// The package is the transport only (paths, frames, peer credentials,
// versions, connection bounds); what a command line does is the caller's
// Handler. The protocol is described in docs/control-socket.md; Protocol
// is its version.
package control
