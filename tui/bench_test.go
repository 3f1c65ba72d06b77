package tui

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/cxtop/cxtop/store/engine"
)

// loadedModel is a console sized w×h with its data loaded synchronously,
// for benchmarks that time View alone.
func loadedModel(b testing.TB, w, h int) *Model {
	st := testStore(b)
	m := newModelOn(b, testEngine(b, st, engine.Options{NoRules: true}), engine.RoleLead, DefaultConfig())
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(stateMsg{st: m.opt.Engine.(*engine.Engine).State()})
	return m
}

// BenchmarkView200x60 measures View on a full 200×60 frame with all four
// panes. Its reference, BenchmarkJoinReference, joins the same number of
// pre-built lines of the same width: the floor any View has to pay.
func BenchmarkView200x60(b *testing.B) {
	m := loadedModel(b, 200, 60)
	if !strings.Contains(m.View(), "Queue: 5 open") {
		b.Fatalf("not loaded:\n%s", m.View())
	}
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		_ = m.View()
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-µs")
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
