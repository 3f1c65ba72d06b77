// Package serve serves the cxtop console over SSH with wish: one shared
// engine for every session (its state is computed once and handed to
// all), and per session its own Bubble Tea program, lipgloss renderer and
// theme. Every session is a viewer: its gate refuses every write,
// whatever key is pressed.
package serve
