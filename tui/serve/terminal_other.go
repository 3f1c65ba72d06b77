//go:build !unix

package serve

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish/bubbletea"
)

// terminal is wish's own input and output where there is no dup(2).
func terminal(sess ssh.Session) ([]tea.ProgramOption, func()) {
	return bubbletea.MakeOptions(sess), func() {}
}
