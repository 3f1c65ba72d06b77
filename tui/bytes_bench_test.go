package tui

import (
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/engine"
)

// frameWait is how long a benchmark lets the renderer flush after the
// console settles: two frames at the console's 20 per second.
const frameWait = 100 * time.Millisecond

// runConsole runs a real program (renderer included) on the test store,
// 200×60, writing to a counting terminal, and waits for its first frame.
func runConsole(b *testing.B) (*probe, *countingWriter, *tea.Program, *store.Store) {
	st := testStore(b)
	m := newModel(b, st, engine.RoleViewer, DefaultConfig())
	pr := &probe{Model: m}
	out := &countingWriter{}
	p := tea.NewProgram(pr, tea.WithInput(nil), tea.WithOutput(out), tea.WithFPS(20), tea.WithoutSignalHandler())
	done := make(chan struct{})
	go func() { p.Run(); close(done) }()
	b.Cleanup(func() { p.Quit(); <-done; m.Close() })
	p.Send(tea.WindowSizeMsg{Width: 200, Height: 60})
	waitStates(b, pr, 1)
	time.Sleep(frameWait)
	return pr, out, p, st
}

// waitStates waits until the console has taken n states and settled.
func waitStates(b *testing.B, pr *probe, n int) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		pr.mu.Lock()
		ok := pr.settled && pr.Model.states >= n
		pr.mu.Unlock()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("console did not take %d states", n)
		}
		time.Sleep(time.Millisecond)
	}
}

// BenchmarkTerminalBytesIdle counts the bytes written to the terminal per
// state in which nothing changed (the engine's clock tick on a quiet
// store): the target is 0, as Bubble Tea skips a frame equal to the last
// one.
func BenchmarkTerminalBytesIdle(b *testing.B) {
	pr, out, p, _ := runConsole(b)
	pr.mu.Lock()
	same := *pr.Model.state
	pr.mu.Unlock()
	out.n.Store(0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pr.mu.Lock()
		n := pr.Model.states
		pr.mu.Unlock()
		next := same
		p.Send(stateMsg{st: &next})
		waitStates(b, pr, n+1)
	}
	time.Sleep(frameWait)
	b.ReportMetric(float64(out.n.Load())/float64(b.N), "bytes/state")
}

// BenchmarkTerminalBytesSyncing100 writes 100 records into the store per
// iteration (one second of a sync at 100 records/s, as one page) and counts
// the bytes the console then writes to the terminal.
func BenchmarkTerminalBytesSyncing100(b *testing.B) {
	pr, out, _, st := runConsole(b)
	out.n.Store(0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pr.mu.Lock()
		n := pr.Model.states
		pr.mu.Unlock()
		var recs []model.Record
		for j := 0; j < 100; j++ {
			id := fmt.Sprintf("B%d-%d", i, j)
			at := testNow.Add(-time.Duration(j) * time.Minute)
			if j%10 == 0 {
				recs = append(recs, model.Record{Ticket: &model.Ticket{ID: "T" + id, Subject: "Synced " + id, Status: model.StatusNew,
					Type: "complaint", SubType: "late_delivery", Source: "email", Priority: model.PriorityNormal,
					CreatedAt: at, UpdatedAt: at, SLADueAt: at.Add(72 * time.Hour), Version: 1}})
				continue
			}
			recs = append(recs, model.Record{Feedback: &model.Feedback{ID: "F" + id, Survey: model.SurveyCSAT, Score: 1 + j%5, At: at}})
		}
		if _, err := st.Write(recs); err != nil {
			b.Fatal(err)
		}
		waitStates(b, pr, n+1)
		time.Sleep(frameWait)
	}
	b.ReportMetric(float64(out.n.Load())/float64(b.N), "bytes/s")
}
