package tui

import (
	"context"
	"errors"
	"io"

	tea "github.com/charmbracelet/bubbletea"
)

// Run runs the console on in/out until the user quits or ctx ends.
// Frames are capped at 20 a second; Bubble Tea skips writing a frame that
// did not change, so an idle console writes nothing.
func Run(ctx context.Context, opt Options, in io.Reader, out io.Writer) error {
	m, err := New(opt)
	if err != nil {
		return err
	}
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out),
		tea.WithAltScreen(), tea.WithFPS(20))
	_, err = p.Run()
	m.Close()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // the context ended: a normal stop
	}
	return err
}
