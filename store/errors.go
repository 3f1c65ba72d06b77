package store

import "errors"

// Errors callers may test for with errors.Is. The wrapped messages name the
// file and say what to do.
var (
	ErrInUse     = errors.New("store is in use by another cxtop process")
	ErrNotFound  = errors.New("no store at this path")
	ErrNotStore  = errors.New("not a cxtop store")
	ErrCorrupt   = errors.New("store file is corrupt")
	ErrNewer     = errors.New("store was written by a newer cxtop")
	ErrReadOnly  = errors.New("store is open read-only")
	ErrNoSuchKey = errors.New("no such record")
)
