package main

import (
	"github.com/cxtop/cxtop/store/engine"
)

// engineOptions are what every command's engine shares, from the config:
// the alert rules and automations, the KPI targets and the taxonomy, and
// the control socket an engine that may write serves while it runs.
// Commands add the remote, the role and the logger.
func (a *app) engineOptions() engine.Options {
	alerts := a.cfg.Alerts
	return engine.Options{Alerts: &alerts, KPIs: a.cfg.KPI.Defs, Programme: a.cfg.KPI.Programme, Taxonomy: a.cfg.Taxonomy, Control: a.controlSeam}
}

// stopEngine closes an engine at the end of a command, logging why its
// sync loop stopped when that was not the command's own doing.
func stopEngine(eng *engine.Engine, logf func(string, ...any)) {
	if err := eng.Close(); err != nil {
		logf("%v", err)
	}
	if err := eng.SyncErr(); err != nil {
		logf("sync stopped: %v", err)
	}
}
