package store

import "errors"

// Errors callers may test for with errors.Is. The wrapped messages name the
// file and what is wrong with it; what the user can do about it (which
// command, which flag) is the caller's to say: cmd/cxtop adds it.
var (
	ErrInUse     = errors.New("store is in use by another cxtop process")
	ErrNotFound  = errors.New("no store at this path")
	ErrNotStore  = errors.New("not a cxtop store")
	ErrCorrupt   = errors.New("store file is corrupt")
	ErrNewer     = errors.New("store was written by a newer cxtop")
	ErrReadOnly  = errors.New("store is open read-only")
	ErrNoSuchKey = errors.New("no such record")
	ErrNoAlert   = errors.New("no such alert")
	// ErrEmptyFile is wrapped with ErrNotStore: an empty file (a creation
	// that was interrupted, a full disk) is not a store.
	ErrEmptyFile = errors.New("empty file")
	// ErrRollupsOutdated: the rollups were written by an older cxtop and
	// are rebuilt by the first open for writing.
	ErrRollupsOutdated = errors.New("rollups from an older cxtop")
	// ErrBulkLoadUnfinished: a bulk load into the store was stopped
	// before its end built the indexes and rollups; the first open for
	// writing builds them (bulk_load.go).
	ErrBulkLoadUnfinished = errors.New("a bulk load into the store did not finish")
)
