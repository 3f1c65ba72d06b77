package store

import (
	"runtime/debug"
	"testing"
)

// BulkGC raises the GC percent and puts the one before back; a GOGC the
// user set is left alone.
func TestBulkGCRestores(t *testing.T) {
	t.Setenv("GOGC", "")
	before := debug.SetGCPercent(150)
	defer debug.SetGCPercent(before)
	restore := BulkGC()
	if got := debug.SetGCPercent(bulkGCPercent); got != bulkGCPercent {
		t.Fatalf("GC percent in a bulk write: %d, want %d", got, bulkGCPercent)
	}
	restore()
	if got := debug.SetGCPercent(150); got != 150 {
		t.Fatalf("GC percent after: %d, want 150", got)
	}
	t.Setenv("GOGC", "150")
	restore = BulkGC()
	defer restore()
	if got := debug.SetGCPercent(150); got != 150 {
		t.Fatalf("GC percent with GOGC set: %d, want 150 (left alone)", got)
	}
}
