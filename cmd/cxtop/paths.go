package main

import (
	"os"
	"path/filepath"
)

// XDG base directories, with the spec's fallbacks under $HOME.
func xdgDir(getenv func(string) string, env, fallback string) string {
	if d := getenv(env); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "cxtop")
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	if !filepath.IsAbs(home) {
		return "" // no home: callers refuse rather than use a relative path
	}
	return filepath.Join(home, fallback, "cxtop")
}

func defaultDataPath(getenv func(string) string) string {
	return filepath.Join(xdgDir(getenv, "XDG_DATA_HOME", ".local/share"), "cxtop.db")
}

func defaultConfigPath(getenv func(string) string) string {
	return filepath.Join(xdgDir(getenv, "XDG_CONFIG_HOME", ".config"), "config.toml")
}

// stateDir holds logs and the demo's store.
func stateDir(getenv func(string) string) string {
	return xdgDir(getenv, "XDG_STATE_HOME", ".local/state")
}
