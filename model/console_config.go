package model

// ConsoleConfig is the [console] section of the config file: the console's
// key bindings and saved views. The console checks the names: an action
// that does not exist or a filter it cannot read is an error at start-up.
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
