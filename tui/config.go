package tui

import (
	"fmt"

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
