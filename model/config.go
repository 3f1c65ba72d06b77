package model

import (
	"errors"
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"
)

// Config is the content of cxtop's TOML config file. Every section starts
// from its defaults and the file overrides only what it names.
type Config struct {
	Taxonomy  Taxonomy        `toml:"taxonomy"`
	Sync      SyncConfig      `toml:"sync"`
	Console   ConsoleConfig   `toml:"console"`
	KPI       KPIConfig       `toml:"kpi"`
	Programme ProgrammeConfig `toml:"programme"`

	Alerts AlertsConfig `toml:"alerts"` // rules, routing, automations (model/alert checks it)
}

// DefaultConfig is the configuration used when no file exists.
func DefaultConfig() Config {
	return Config{Taxonomy: DefaultTaxonomy()}
}

// ParseConfig reads a config file's content over the defaults. name is only
// used in error messages. Unknown keys are errors, so a typo never silently
// leaves a default in place.
func ParseConfig(name string, data []byte) (Config, error) {
	cfg := DefaultConfig()
	// A list in the file replaces the default list rather than merging with
	// it; decode the taxonomy lists into an empty value for that.
	var probe struct {
		Taxonomy map[string]any `toml:"taxonomy"`
	}
	if _, err := toml.Decode(string(data), &probe); err != nil {
		return cfg, configError(name, err)
	}
	if _, ok := probe.Taxonomy["sla"]; ok {
		cfg.Taxonomy.SLA = map[string]Duration{}
	}
	md, err := toml.Decode(string(data), &cfg)
	if err != nil {
		return cfg, configError(name, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		keys := make([]string, len(undecoded))
		for i, k := range undecoded {
			keys[i] = k.String()
		}
		return cfg, fmt.Errorf("config %s: unknown key %s: remove it or check its spelling", name, strings.Join(keys, ", "))
	}
	if err := cfg.Taxonomy.Check(); err != nil {
		return cfg, fmt.Errorf("config %s: %w", name, err)
	}
	return cfg, nil
}

func configError(name string, err error) error {
	var perr toml.ParseError
	if errors.As(err, &perr) {
		return fmt.Errorf("config %s: line %d: %s", name, perr.Position.Line, perr.Message)
	}
	return fmt.Errorf("config %s: %v", name, err)
}
