package config

import (
	"strings"
	"testing"
)

// FuzzParse: a config file, whatever its bytes, resolves or gives one line
// that names the file, never a panic.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "user = \"Lan\"\n", "[taxonomy.sla]\nurgent = \"4h\"\n", "[taxonomy.sla]\nurgent = \"-4h\"\n",
		"[serve]\nmax_sessions = 0\n", "[privacy]\nviewers = \"unmasked\"\n", "[kpi.targets]\ncsat = nan\n",
		"[console.keys]\nquit = []\n", "[[console.views]]\nname = \"x\"\nfilter = \"type=\"\n", "= = =", "[sync]\ninterval = \"1ns\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse("fuzz.toml", data)
		if err != nil && (!strings.HasPrefix(err.Error(), "config fuzz.toml") || strings.Contains(err.Error(), "\n")) {
			t.Fatalf("error %q is not one line naming the file", err)
		}
	})
}
