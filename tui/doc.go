// Package tui is cxtop's console: a Bubble Tea program over a store. Store
// reads run in commands that return messages; Update keeps prepared lines;
// View only joins them. Every write goes through the Gate, which knows the
// session's role.
package tui
