//go:build !unix

package serve

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish/bubbletea"
)

// sessionTerminal is nothing where there is no dup(2): wish's own input,
// output and window changes are used.
type sessionTerminal struct{}

func terminal(sess ssh.Session) ([]tea.ProgramOption, *sessionTerminal) {
	return bubbletea.MakeOptions(sess), nil
}

func (*sessionTerminal) follow(*tea.Program) {}
func (*sessionTerminal) close()              {}
