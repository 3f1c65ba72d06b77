package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/control"
)

// openedStore is the store a command works on: one it opened, or, when it
// runs for a control-socket client, the one this process holds, which
// its Close leaves open.
type openedStore struct {
	*store.Store
	borrowed bool
}

// Close closes a store the command opened; a borrowed one stays open.
func (o *openedStore) Close() error {
	if o.borrowed {
		return nil
	}
	return o.Store.Close()
}

// forwarded ends a command whose command line the process holding the
// store ran: its output is printed, code is its exit status.
type forwarded struct{ code int }

func (f forwarded) Error() string { return fmt.Sprintf("forwarded (exit %d)", f.code) }

// openStore opens the store at --db, read-only for commands that only
// read. When another process holds the store and serves its control
// socket, a command it may run (socketCommands) is sent there instead and
// openStore returns forwarded: the user sees what the command prints on an
// unheld store. A socket left by a killed holder is removed.
func (a *app) openStore(write bool) (*openedStore, error) {
	return a.open(store.Options{Create: write, ReadOnly: !write})
}

// open is openStore with the store's options spelled out.
func (a *app) open(opt store.Options) (*openedStore, error) {
	if a.held != nil {
		return a.held.borrow(a.file(a.dbPath))
	}
	sock, sockErr := a.socketPath(a.dbPath)
	stale := false
	if sockErr == nil && a.forwardable() {
		err := a.forward(sock)
		switch {
		case errors.Is(err, control.ErrStale):
			stale = true // removed below once the lock shows nobody holds the store
		case !errors.Is(err, control.ErrNoSocket):
			return nil, err // forwarded, or refused with a reason
		}
	}
	s, err := store.Open(a.dbPath, a.storeOptions(opt))
	if err == nil {
		if stale {
			// We hold the store's lock: no process serves that socket.
			if err := control.RemoveStale(sock); err != nil {
				s.Close()
				return nil, err
			}
		}
		a.warnLooseMode(a.dbPath)
		return &openedStore{Store: s}, nil
	}
	if !errors.Is(err, store.ErrInUse) {
		return nil, err
	}
	// Held. A holder that started since the first try serves it now.
	if sockErr == nil && a.forwardable() {
		if ferr := a.forward(sock); !errors.Is(ferr, control.ErrStale) && !errors.Is(ferr, control.ErrNoSocket) {
			return nil, ferr
		}
	}
	return nil, a.heldError(err)
}

// heldError names the process that holds the store when the lock table
// says which (the advice is added with the other store hints).
func (a *app) heldError(err error) error {
	h, ok := control.FindHolder(a.dbPath)
	if !ok {
		return err
	}
	if h.Shared {
		return fmt.Errorf("%w: %s is open read-only in %s, so nothing may write it now", store.ErrInUse, a.dbPath, h)
	}
	if a.forwardable() {
		if heldByCxtop(h.Command) {
			// simulate, import, sync --once…: they hold the store alone
			// while they run and serve no socket.
			return fmt.Errorf("%w: %s is held by %s, a cxtop command that holds the store until it ends and serves no control socket", store.ErrInUse, a.dbPath, h)
		}
		return fmt.Errorf("%w: %s is held by %s, which serves no control socket (an older cxtop, or another program)", store.ErrInUse, a.dbPath, h)
	}
	what := "the console"
	if a.cmd != nil && commandName(a.cmd) != "" {
		what = "'cxtop " + commandName(a.cmd) + "'"
	}
	return fmt.Errorf("%w: %s is held by %s: %s cannot run beside it", store.ErrInUse, a.dbPath, h, what)
}

// socketPath is the control socket of the store at db: beside it, or in
// $XDG_RUNTIME_DIR/cxtop (else the state dir) when that path is too long.
func (a *app) socketPath(db string) (string, error) {
	dir := stateDir(a.getenv)
	if rt := a.getenv("XDG_RUNTIME_DIR"); rt != "" && filepath.IsAbs(rt) {
		dir = filepath.Join(rt, "cxtop")
	}
	return control.SocketPath(db, dir)
}

// forwardable: the running command is one a holder runs for a client.
func (a *app) forwardable() bool {
	return a.cmd != nil && socketCommands[commandName(a.cmd)]
}

func commandName(cmd *cobra.Command) string {
	return strings.TrimPrefix(strings.TrimPrefix(cmd.CommandPath(), "cxtop"), " ")
}

// forward sends the command line to the socket and prints what comes back.
func (a *app) forward(sock string) error {
	ctx := context.Background()
	if a.cmd.Context() != nil {
		ctx = a.cmd.Context()
	}
	wd, err := os.Getwd()
	if err != nil {
		return fmt.Errorf("working directory: %w", err)
	}
	code, err := control.Run(ctx, sock, version, control.Request{Args: a.resolvedArgs(), Dir: wd, Env: a.forwardedEnv()}, a.io.out, a.io.err)
	if err != nil {
		return err
	}
	return forwarded{code}
}

// resolvedArgs is the command line as the holder runs it: the command's
// path, every flag that was set, --db as resolved here (relative paths are
// resolved against the request's Dir in the holder, and messages name the
// store as the user did), --config absolute when one was named (its
// errors are met here, before forwarding), then the arguments.
func (a *app) resolvedArgs() []string {
	args := strings.Fields(commandName(a.cmd))
	a.cmd.Flags().Visit(func(f *pflag.Flag) {
		if f.Name == "db" || f.Name == "config" {
			return
		}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			for _, v := range sv.GetSlice() {
				args = append(args, "--"+f.Name+"="+v)
			}
			return
		}
		args = append(args, "--"+f.Name+"="+f.Value.String())
	})
	args = append(args, "--db="+a.dbPath)
	if a.cfgNamed {
		args = append(args, "--config="+absPath(a.cfgPath))
	}
	return append(append(args, "--"), a.args...)
}

// forwardedVars are the variables a forwarded command reads: the defaults
// of paths it did not name, the login name writes are recorded as, and
// what may change how output is written (TZ, NO_COLOR: the command sees
// the client's, never the holder's). $CXTOP_DB and $CXTOP_CONFIG travel as
// flags; secrets never travel.
var forwardedVars = []string{"HOME", "USER", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR", "TZ", "NO_COLOR"}

func (a *app) forwardedEnv() map[string]string {
	env := map[string]string{}
	for _, k := range forwardedVars {
		if v := a.getenv(k); v != "" {
			env[k] = v
		}
	}
	return env
}

func absPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// heldByCxtop reports whether a holder's command line runs this program:
// its first word is named cxtop or as this process's own binary.
func heldByCxtop(command string) bool {
	name, _, _ := strings.Cut(command, " ")
	if name == "" {
		return false
	}
	base := filepath.Base(name)
	return base == "cxtop" || base == filepath.Base(os.Args[0])
}
