// Package config reads cxtop's TOML config file once, checks every
// section, and resolves it into the settings that every entry point takes
// (console, serve, demo, sync, hub and each command). Nothing else in
// cxtop reads TOML: the domain, the store and the console receive resolved
// values.
package config

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/tui"
)

// File is the content of the config file as written. Every section starts
// from its defaults and the file overrides only what it names.
type File struct {
	// User is who this person is in ticket histories and acknowledgements
	// (a top-level key, before any [section]): user = "Nguyen Thi Lan".
	// Unset, the login name ($USER) is used.
	User     string            `toml:"user"`
	Taxonomy model.Taxonomy    `toml:"taxonomy"`
	Sync     Sync              `toml:"sync"`
	Console  tui.ConsoleConfig `toml:"console"`
	KPI      kpi.Config        `toml:"kpi"`
	// Programme is what the CX programme is measured against (go-live,
	// baselines, costs); it feeds the KPI settings.
	Programme kpi.ProgrammeConfig `toml:"programme"`
	Alerts    alert.Config        `toml:"alerts"`
	Serve     Serve               `toml:"serve"`
	Contacts  Contacts            `toml:"contacts"`
	Privacy   Privacy             `toml:"privacy"`
	// Snapshot is the rotation of sync and serve (snapshot.go).
	Snapshot Snapshot `toml:"snapshot"`
}

// Settings are a config file resolved over the defaults and checked: what
// every entry point takes.
type Settings struct {
	Path     string // the file read ("" when none was)
	User     string // the config's user ("" when unset)
	Taxonomy model.Taxonomy
	Sync     Sync
	Console  tui.ConsoleConfig
	KPI      kpi.Settings
	Alerts   alert.Settings
	Serve    Serve
	Contacts Contacts
	Privacy  Privacy
	Snapshot Snapshot
}

// TUI is what a console session needs of the settings.
func (s Settings) TUI() tui.Config {
	noBell := map[string]bool{}
	for _, r := range s.Alerts.Rules {
		if !r.Has(alert.ActionBell) {
			noBell[r.ID] = true
		}
	}
	return tui.Config{Taxonomy: s.Taxonomy, Console: s.Console, Departments: model.Departments(s.Alerts.Automations.Routes), NoBell: noBell}
}

// Default are the settings of a config file that says nothing.
func Default() Settings {
	s, err := resolve("", File{Taxonomy: model.DefaultTaxonomy()})
	if err != nil {
		panic("config: the defaults do not resolve: " + err.Error()) // a bug in cxtop, not in a file
	}
	return s
}

// Load reads the file at path. A missing file means the defaults unless
// the user named it (named), which makes it an error.
func Load(path string, named bool) (Settings, error) {
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist) && !named:
		return Default(), nil
	case err != nil:
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return Settings{}, fmt.Errorf("config %s: %w", path, err)
	}
	return Parse(path, data)
}

// Parse reads a config file's content over the defaults and resolves it.
// name is only used in error messages. Unknown keys are errors, so a typo
// never silently leaves a default in place; every error is one line that
// names the file and the key.
func Parse(name string, data []byte) (Settings, error) {
	f := File{Taxonomy: model.DefaultTaxonomy()}
	// A list in the file replaces the default list rather than merging with
	// it; decode the taxonomy lists into an empty value for that.
	var probe struct {
		Taxonomy map[string]any `toml:"taxonomy"`
	}
	if _, err := toml.Decode(string(data), &probe); err != nil {
		return Settings{}, decodeError(name, err)
	}
	if _, ok := probe.Taxonomy["sla"]; ok {
		f.Taxonomy.SLA = map[string]model.Duration{}
	}
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		return Settings{}, decodeError(name, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		keys := make([]string, len(undecoded))
		for i, k := range undecoded {
			keys[i] = k.String()
		}
		return Settings{}, fmt.Errorf("config %s: unknown key %s: remove it or check its spelling", name, strings.Join(keys, ", "))
	}
	s, err := resolve(name, f)
	if err != nil {
		return Settings{}, fmt.Errorf("config %s: %w", name, err)
	}
	return s, nil
}

// resolve checks each section and turns it into settings.
func resolve(name string, f File) (Settings, error) {
	if err := checkUser(f.User); err != nil {
		return Settings{}, err
	}
	s := Settings{Path: name, User: f.User, Taxonomy: f.Taxonomy, Sync: f.Sync, Console: f.Console, Serve: f.Serve, Contacts: f.Contacts, Privacy: f.Privacy, Snapshot: f.Snapshot}
	if err := f.Privacy.check(); err != nil {
		return s, err
	}
	if err := f.Taxonomy.Check(); err != nil {
		return s, err
	}
	if err := f.Sync.check(); err != nil {
		return s, err
	}
	if err := f.Console.Check(); err != nil {
		return s, err
	}
	if err := f.Snapshot.check(); err != nil {
		return s, err
	}
	if err := f.Serve.check(); err != nil {
		return s, err
	}
	if err := f.Contacts.check(); err != nil {
		return s, err
	}
	var err error
	if s.KPI, err = kpi.FromConfig(f.KPI, f.Programme); err != nil {
		return s, err
	}
	if s.Alerts, err = alert.FromConfig(f.Taxonomy, f.Alerts); err != nil {
		return s, err
	}
	return s, nil
}

func decodeError(name string, err error) error {
	var perr toml.ParseError
	if errors.As(err, &perr) {
		return fmt.Errorf("config %s: line %d: %s", name, perr.Position.Line, perr.Message)
	}
	return fmt.Errorf("config %s: %v", name, err)
}

// maxUserLen bounds the user name written into every history entry.
const maxUserLen = 64

// checkUser refuses a user name that cannot stand in a history: too long,
// or with characters a terminal would act on.
func checkUser(u string) error {
	if len(u) > maxUserLen {
		return fmt.Errorf("user %q: use at most %d bytes", u, maxUserLen)
	}
	if u != "" && (strings.TrimSpace(u) != u || model.Sanitize(u) != u) {
		return fmt.Errorf("user %q: use printable characters without leading or trailing spaces", u)
	}
	return nil
}
