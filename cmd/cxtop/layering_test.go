package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/cxtop/cxtop"

// TestLayering makes DESIGN.md's layering a test that fails: model imports
// nothing of ours outside model; the store package imports neither the tui
// nor the sync client; nothing but cmd imports cmd; only the store package
// imports bbolt; theme imports nothing of ours.
func TestLayering(t *testing.T) {
	imports := moduleImports(t, "../..")
	if len(imports) < 10 {
		t.Fatalf("found %d packages: the walk did not see the module", len(imports))
	}
	for pkg, deps := range imports {
		for _, dep := range deps {
			if why := forbidden(pkg, dep); why != "" {
				t.Errorf("%s imports %s: %s", pkg, dep, why)
			}
		}
	}
}

func TestLayeringRules(t *testing.T) {
	for _, tc := range []struct {
		pkg, dep string
		bad      bool
	}{
		{"model", module + "/store", true},
		{"model/kpi", module + "/model", false},
		{"model/alert", module + "/tui", true},
		{"store", module + "/store/replica", true},
		{"store", module + "/tui", true},
		{"store/engine", module + "/store/replica", false},
		{"store/hub", module + "/cmd/cxtop/config", true},
		{"tui", module + "/cmd/cxtop", true},
		{"tui/serve", module + "/store", false},
		{"store/replica", "go.etcd.io/bbolt", true},
		{"store", "go.etcd.io/bbolt", false},
		{"theme", module + "/model", true},
		{"cmd/cxtop", module + "/cmd/cxtop/config", false},
	} {
		if got := forbidden(tc.pkg, tc.dep) != ""; got != tc.bad {
			t.Errorf("%s → %s: forbidden %v, want %v", tc.pkg, tc.dep, got, tc.bad)
		}
	}
}

// forbidden says why pkg (a path inside the module) may not import dep,
// or "" when it may.
func forbidden(pkg, dep string) string {
	ours := strings.HasPrefix(dep, module+"/")
	rel := strings.TrimPrefix(dep, module+"/")
	under := func(p, root string) bool { return p == root || strings.HasPrefix(p, root+"/") }
	switch {
	case dep == "go.etcd.io/bbolt" || strings.HasPrefix(dep, "go.etcd.io/bbolt/"):
		if pkg != "store" {
			return "only the store package imports bbolt"
		}
	case !ours:
	case under(rel, "cmd") && !under(pkg, "cmd"):
		return "nothing imports cmd"
	case under(pkg, "model") && !under(rel, "model"):
		return "model imports nothing of ours but model"
	case under(pkg, "theme"):
		return "theme imports nothing of ours"
	case under(pkg, "store") && under(rel, "tui"):
		return "the store does not import the console"
	case pkg == "store" && under(rel, "store/replica"):
		return "the store does not import the sync client"
	}
	return ""
}

// moduleImports lists, for every package of the module under root, what its
// non-test files import.
func moduleImports(t *testing.T, root string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		pkg := filepath.ToSlash(rel)
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			out[pkg] = append(out[pkg], p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
