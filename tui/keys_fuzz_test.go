package tui

import (
	"strings"
	"testing"
)

// FuzzRebind: any [console.keys] table is applied or refused with an
// error, never a panic; an accepted one leaves no key bound twice.
func FuzzRebind(f *testing.F) {
	for _, s := range []string{"escalate=E", "quit=q;help=q", "up=k,up;down=j", "colour=x", "quit=", "=a", "note=ctrl+n;assign=ctrl+n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		keys := map[string][]string{}
		for _, part := range strings.Split(spec, ";") {
			action, list, _ := strings.Cut(part, "=")
			var ks []string
			if list != "" {
				ks = strings.Split(list, ",")
			}
			keys[action] = ks
		}
		k := DefaultKeys()
		if err := k.Rebind(keys); err != nil {
			return
		}
		owner := map[string]string{}
		for _, nb := range k.bindings() {
			for _, key := range nb.b.Keys() {
				if o, ok := owner[key]; ok && o != nb.name {
					t.Fatalf("%q accepted with %q bound to %s and %s", spec, key, o, nb.name)
				}
				owner[key] = nb.name
			}
		}
	})
}
