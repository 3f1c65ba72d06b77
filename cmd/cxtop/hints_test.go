package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cxtop/cxtop/store"
)

// The store's errors say what is wrong; the command line adds what to do,
// once, whatever wraps them.
func TestWithHint(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("%w: /x.db", store.ErrNotFound), "no store at this path: /x.db: create one with 'cxtop simulate'"},
		{fmt.Errorf("%w: /x.db is an %w", store.ErrNotStore, store.ErrEmptyFile), "is an empty file: remove it or pass the path of a cxtop store with --db"},
		{fmt.Errorf("%w: /x.db is a directory", store.ErrNotStore), "is a directory: pass the path of a cxtop store with --db"},
		{fmt.Errorf("kpi: %w: bucket x", store.ErrCorrupt), "bucket x: run 'cxtop check'"},
		{fmt.Errorf("%w: /x.db has rollups v3", store.ErrRollupsOutdated), "'cxtop import --db /x.db /dev/null'"},
		{fmt.Errorf("%w %q", store.ErrNoAlert, "k"), `no such alert "k": 'cxtop alerts --all' lists them`},
	} {
		got := withHint(tc.err, "/x.db").Error()
		if !strings.Contains(got, tc.want) {
			t.Errorf("%q: got %q, want it to contain %q", tc.err, got, tc.want)
		}
		if again := withHint(withHint(tc.err, "/x.db"), "/x.db").Error(); again != got {
			t.Errorf("hint added twice: %q", again)
		}
	}
	if plain := fmt.Errorf("plain"); withHint(plain, "") != plain {
		t.Error("an error without a store cause changed")
	}
}
