// Package serve serves the cxtop console over SSH with wish: one shared
// store for every session, and per session its own Bubble Tea program,
// lipgloss renderer and theme. Every session is a viewer: the console's
// gate refuses every write, whatever key is pressed.
package serve
