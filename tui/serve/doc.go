// Package serve serves the cxtop console over SSH with wish: one shared
// engine for every session (its state is computed once and handed to
// all), and per session its own Bubble Tea program, lipgloss renderer and
// theme. Every session is a viewer: its gate refuses every write,
// whatever key is pressed. A session's terminal (terminal.go: keys from
// the channel, the window from its requests) and screen (screen.go: the
// frames drawn on the channel, each change of frame worked out once for
// the sessions making it) are the server's own, not the ssh library's pty
// and Bubble Tea's renderer: they kept ~165 KB a session.
package serve
