package config

import "fmt"

// Privacy is the [privacy] section: which sessions see customers' and
// staff's personal data. Viewers (serve, --read-only) are masked and leads
// are not, unless the file says otherwise:
//
//	[privacy]
//	viewers = "masked"     # or "unmasked"
//	leads   = "unmasked"   # or "masked": a lead then unmasks with --unmask (logged)
type Privacy struct {
	Viewers string `toml:"viewers"`
	Leads   string `toml:"leads"`
}

// Masked reports whether a session of that role hides personal data.
func (p Privacy) Masked(lead bool) bool {
	if lead {
		return p.Leads == "masked"
	}
	return p.Viewers != "unmasked"
}

func (p Privacy) check() error {
	for _, f := range []struct{ key, v string }{{"privacy.viewers", p.Viewers}, {"privacy.leads", p.Leads}} {
		if f.v != "" && f.v != "masked" && f.v != "unmasked" {
			return fmt.Errorf("%s %q: use \"masked\" or \"unmasked\"", f.key, f.v)
		}
	}
	return nil
}
