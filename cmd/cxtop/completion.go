package main

import (
	"slices"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cxtop/cxtop/cmd/cxtop/config"
	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store/deliver"
)

// flagValues are the values a flag takes, for shell completion: by flag
// name, and for a flag whose meaning depends on its command (--source is a
// remote kind for sync and a channel for tickets), by "command flag".
func (a *app) flagValues(cmd *cobra.Command, flag string) []string {
	cfg := a.completionConfig()
	tax := cfg.Taxonomy
	switch name := cmd.Name(); {
	case flag == "source" && slices.Contains([]string{"sync", "serve", "hub", "status"}, name):
		return []string{"hub", "zendesk"}
	case flag == "status" && name == "contacts":
		return deliver.Statuses
	}
	switch flag {
	case "window":
		return []string{"24h", "7d", "30d", "90d", "365d"}
	case "by":
		var dims []string
		for d := range kpi.BreakdownDims {
			dims = append(dims, d)
		}
		sort.Strings(dims)
		return dims
	case "since":
		return []string{"go-live"}
	case "theme":
		return []string{"dark", "light", "high-contrast"}
	case "source":
		return tax.Sources
	case "status":
		return tax.Statuses
	case "type":
		var out []string
		for _, t := range tax.Types {
			out = append(out, t.Name)
			for _, s := range t.SubTypes {
				out = append(out, t.Name+"/"+s)
			}
		}
		return out
	case "priority":
		return tax.Priorities
	case "department":
		return model.Departments(cfg.Alerts.Automations.Routes)
	}
	return nil
}

// completionConfig is the config for completing values: the file the
// flags or the environment name when it reads, else the defaults (a
// completion never fails on a broken config; the command run later says
// what is wrong).
func (a *app) completionConfig() config.Settings {
	if a.cfg.Taxonomy.Statuses != nil {
		return a.cfg
	}
	path := a.cfgPath
	if path == "" {
		path = a.getenv("CXTOP_CONFIG")
	}
	if path == "" {
		path = defaultConfigPath(a.getenv)
	}
	if s, err := config.Load(path, false); err == nil {
		return s
	}
	return config.Default()
}

// addFlagCompletions registers a value completion on every flag of every
// command that has known values, so `cxtop kpi --window <tab>` offers
// 24h 7d 30d...
func (a *app) addFlagCompletions(root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if a.flagValues(c, f.Name) == nil && !knownFlag(f.Name) {
				return
			}
			name, cmd := f.Name, c
			_ = c.RegisterFlagCompletionFunc(name, func(_ *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
				var out []string
				for _, v := range a.flagValues(cmd, name) {
					if strings.HasPrefix(v, prefix) {
						out = append(out, v)
					}
				}
				return out, cobra.ShellCompDirectiveNoFileComp
			})
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// knownFlag: flags whose values come from the taxonomy (empty in no case,
// but listed so a taxonomy-less default still registers them).
func knownFlag(name string) bool {
	return slices.Contains([]string{"source", "status", "type", "priority", "department"}, name)
}
