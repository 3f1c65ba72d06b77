package model

import (
	"strings"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	cfg, err := ParseConfig("c.toml", []byte(`
[taxonomy]
sources = ["email", "hotline"]
[taxonomy.sla]
urgent = "2h"
low = "7d"
`))
	if err != nil {
		t.Fatal(err)
	}
	tax := cfg.Taxonomy
	if strings.Join(tax.Sources, ",") != "email,hotline" {
		t.Errorf("sources %v: a list in the file must replace the default", tax.Sources)
	}
	if len(tax.Types) != 5 {
		t.Errorf("types %d: unnamed lists keep their defaults", len(tax.Types))
	}
	if tax.SLA["urgent"].Duration != 2*time.Hour || tax.SLA["low"].Duration != 7*24*time.Hour {
		t.Errorf("sla %v", tax.SLA)
	}
	if _, ok := tax.SLA["high"]; ok {
		t.Errorf("an sla table in the file replaces the default table")
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`[taxonomy]` + "\n" + `colour = "red"`, `config c.toml: unknown key taxonomy.colour`},
		{`[taxonmy]`, `unknown key taxonmy`},
		{`[taxonomy`, `config c.toml: line 1:`},
		{`[taxonomy]` + "\n" + `statuses = ["open"]`, `statuses must include "new"`},
		{`[taxonomy.sla]` + "\n" + `high = "soon"`, `invalid duration "soon"`},
		{`[taxonomy.sla]` + "\n" + `p9 = "1h"`, `sla names priority "p9"`},
	} {
		_, err := ParseConfig("c.toml", []byte(tc.body))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err %v, want %q", tc.body, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error is not one line: %q", tc.body, err)
		}
	}
}
