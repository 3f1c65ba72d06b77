package tui

import (
	"strings"
	"testing"
)

// BenchmarkView200x60 measures View on a full 200×60 frame. Its reference,
// BenchmarkJoinReference, joins the same number of pre-built lines of the
// same width: the floor any View has to pay.
func BenchmarkView200x60(b *testing.B) {
	m := newTestModel(b, RoleLead, 200, 60)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = m.View()
	}
}

func BenchmarkJoinReference(b *testing.B) {
	lines := make([]string, 60)
	for i := range lines {
		lines[i] = strings.Repeat("x", 200)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = strings.Join(lines, "\n")
	}
}
