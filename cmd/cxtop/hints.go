package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cxtop/cxtop/store"
)

// storeHints say what a user can do about a store error. The store says
// what is wrong; only the command line knows its own commands and flags,
// so the advice is added here, once, for every command.
var storeHints = []struct {
	err  error
	hint func(db string) string
}{
	{store.ErrNotFound, func(string) string {
		return "create one with 'cxtop simulate', 'cxtop import' or 'cxtop sync', or pass --db"
	}},
	{store.ErrEmptyFile, func(string) string { return "remove it or pass the path of a cxtop store with --db" }},
	{store.ErrNotStore, func(string) string { return "pass the path of a cxtop store with --db" }},
	{store.ErrInUse, func(string) string { return "close the other cxtop and try again" }},
	{store.ErrCorrupt, func(string) string { return "run 'cxtop check' for the whole list" }},
	{store.ErrNewer, func(string) string { return "upgrade cxtop" }},
	{store.ErrRollupsOutdated, func(db string) string {
		return fmt.Sprintf("open it once for writing to rebuild them from its records (e.g. 'cxtop import --db %s /dev/null'; close any other cxtop first)", db)
	}},
	{store.ErrBulkLoadUnfinished, func(db string) string {
		return fmt.Sprintf("open it once for writing to build them from the records it holds (e.g. 'cxtop import --db %s /dev/null'; close any other cxtop first), or run the load again", db)
	}},
	{store.ErrNoAlert, func(string) string { return "'cxtop alerts --all' lists them" }},
}

// withHint returns err with the advice for the first store error it wraps;
// an error that already ends in advice, or wraps none, is left as it is.
func withHint(err error, db string) error {
	for _, h := range storeHints {
		if errors.Is(err, h.err) {
			hint := h.hint(db)
			if strings.HasSuffix(err.Error(), hint) {
				return err
			}
			return fmt.Errorf("%w: %s", err, hint)
		}
	}
	return err
}
