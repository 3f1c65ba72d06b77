// Package engine is what runs beside one open store: the Engine owns the
// store, the sync loop, the alert rules and automations (Runner, Evaluate,
// Automate) and the gate, the one door through which a session writes.
// After each burst of commits it computes, once, the live state every
// session shows (KPIs, trends, alerts, the queue's first page, the sync
// state) and hands it to every subscriber, latest wins. See docs/engine.md.
package engine
