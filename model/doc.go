// Package model holds cxtop's domain: tickets, feedback and journey events,
// the taxonomy and SLA policy that classify them, their validation, and the
// JSON Lines record format that export, import and sync exchange.
//
// It does no I/O and imports nothing else of cxtop, so every rule here can be
// tested on plain values.
package model
