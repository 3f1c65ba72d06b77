//go:build unix

package serve

import (
	"os"
	"syscall"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish/bubbletea"
)

// terminal gives the program its own descriptor of the session's pty.
// The ssh library closes the pty the moment a client drops the
// connection, while the program's input reader may still be using the
// descriptor (a data race, and a closed fd number can be reused). On a
// duplicate the reader just gets EIO once the pty's master is gone, and
// the program ends; close runs once the program has ended.
func terminal(sess ssh.Session) (opts []tea.ProgramOption, closeFn func()) {
	pty, _, ok := sess.Pty()
	if !ok || pty.Slave == nil {
		return bubbletea.MakeOptions(sess), func() {}
	}
	f, err := dup(pty.Slave)
	if err != nil {
		return bubbletea.MakeOptions(sess), func() {}
	}
	return []tea.ProgramOption{tea.WithInput(f), tea.WithOutput(f)}, func() { f.Close() }
}

func dup(f *os.File) (*os.File, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	fd, derr := -1, error(nil)
	// Control holds the file open while it runs: no race with its Close.
	if err := rc.Control(func(h uintptr) {
		syscall.ForkLock.RLock()
		defer syscall.ForkLock.RUnlock()
		if fd, derr = syscall.Dup(int(h)); derr == nil {
			syscall.CloseOnExec(fd)
		}
	}); err != nil {
		return nil, err
	}
	if derr != nil {
		return nil, derr
	}
	return os.NewFile(uintptr(fd), f.Name()), nil
}
