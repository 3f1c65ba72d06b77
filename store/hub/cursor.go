package hub

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// A cursor is "<store id>.<sequence>": opaque to clients, it names the
// store it came from so a cursor from another or a recreated hub store is
// refused (410) rather than skipping or repeating records silently.

func formatCursor(storeID string, seq uint64) string {
	return storeID + "." + strconv.FormatUint(seq, 10)
}

var errCursorExpired = errors.New("cursor expired")

// parseCursor returns the sequence a cursor resumes after; "" is the start.
func parseCursor(storeID, c string) (uint64, error) {
	if c == "" {
		return 0, nil
	}
	id, seq, ok := strings.Cut(c, ".")
	n, err := strconv.ParseUint(seq, 10, 64)
	if !ok || err != nil || id == "" {
		return 0, fmt.Errorf("cursor %q is malformed: pass a next_cursor this hub returned, or none to start over", c)
	}
	if id != storeID {
		return 0, fmt.Errorf("%w: it belongs to another hub store (this one is %s): start again without a cursor", errCursorExpired, storeID)
	}
	return n, nil
}
