package tui

import (
	"fmt"
	"slices"
	"time"

	"github.com/cxtop/cxtop/model"
)

// Config is what a console session is configured with: the taxonomy it
// validates triage against and the [console] section (keys, saved views).
// cmd/cxtop/config parses and checks it once; the console only reads it.
type Config struct {
	Taxonomy model.Taxonomy
	Console  ConsoleConfig
	// Departments a ticket can be assigned to (model.Departments of the
	// configured routes); nil means the default routes'.
	Departments []string
	// NoBell names the alert rules whose actions leave "bell" out: their
	// firings neither ring nor flash the console.
	NoBell map[string]bool
}

// departments are the departments the assign prompt accepts.
func (c Config) departments() []string {
	if c.Departments != nil {
		return c.Departments
	}
	return model.Departments(nil)
}

// DefaultConfig is a console's configuration when the file says nothing.
func DefaultConfig() Config {
	return Config{Taxonomy: model.DefaultTaxonomy()}
}

// ConsoleConfig is the [console] section of the config file: the console's
// key bindings and saved views.
type ConsoleConfig struct {
	// Keys rebinds actions: action name → the keys that trigger it, e.g.
	// escalate = ["E"]. `cxtop` shows every action and its keys under `?`.
	Keys map[string][]string `toml:"keys"`
	// Views are saved queue filters, cycled with the view key.
	Views []SavedView `toml:"views"`
	// Window is the KPI gauges' window at start: one of 24h, 7d, 30d, 90d
	// (the window key's steps), or "" for each KPI over its own window.
	Window string `toml:"window"`
}

// StartWindow is the gauges' window the config asks for at start (0: each
// KPI over its own window); Check has refused any other value.
func (c ConsoleConfig) StartWindow() time.Duration {
	if c.Window == "" {
		return 0
	}
	d, _ := model.ParseDuration(c.Window)
	return d
}

// SavedView is a named queue filter, e.g. {name = "VIP complaints",
// filter = "type=complaint segment=vip"}.
type SavedView struct {
	Name   string `toml:"name"`
	Filter string `toml:"filter"`
}

// Check reports the first binding or view the console could not use: an
// action that does not exist, a key bound twice, a filter it cannot read.
func (c ConsoleConfig) Check() error {
	keys := DefaultKeys()
	if err := keys.Rebind(c.Keys); err != nil {
		return err
	}
	if d, err := model.ParseDuration(c.Window); c.Window != "" && (err != nil || d == 0 || !slices.Contains(KPIWindows, d)) {
		return fmt.Errorf("console.window %q: use 24h, 7d, 30d or 90d, or leave it out for each KPI over its own window", c.Window)
	}
	_, err := c.savedViews()
	return err
}

// savedViews reads the views' filters.
func (c ConsoleConfig) savedViews() ([]savedView, error) {
	var out []savedView
	for i, v := range c.Views {
		f, err := ParseFilter(v.Filter)
		if err != nil {
			return nil, fmt.Errorf("console.views[%d] %q: %w", i, v.Name, err)
		}
		out = append(out, savedView{name: v.Name, text: v.Filter, filter: f})
	}
	return out, nil
}
