package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/control"
	"github.com/cxtop/cxtop/store/engine"
)

// socketCommands are the commands a process holding a store runs for a
// control-socket client (docs/control-socket.md): the reads, and the
// writes that go through the gate.
var socketCommands = map[string]bool{
	"tickets": true, "kpi": true, "ab": true, "nps-revenue": true, "alerts": true, "export": true, "check": true, "contacts": true,
	"snapshot": true, "report": true, "sync status": true,
	"triage": true, "alerts ack": true,
}

// holding is what a command run for a control-socket client borrows from
// the process that holds the store.
type holding struct {
	store *store.Store
	eng   *engine.Engine // the holder's engine, nil for sync --once
	uid   uint32         // the client's user id, from SO_PEERCRED: writes are recorded as theirs
	dir   string         // the client's working directory
}

// file is the path the command's file argument p names: relative paths
// are the client's, relative to its working directory, not this
// process's. Messages keep p as the user wrote it.
func (a *app) file(p string) string {
	if a.held == nil || p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(a.held.dir, p)
}

// admit refuses a command the holder does not run for clients.
func (h *holding) admit(cmd *cobra.Command) error {
	name := commandName(cmd)
	if socketCommands[name] {
		return nil
	}
	if name == "" {
		name = "the console"
	} else {
		name = "'cxtop " + name + "'"
	}
	return fmt.Errorf("%s does not run through the control socket of the cxtop holding %s: stop that cxtop to run it", name, h.store.Path())
}

// borrow lends the held store to a command, which must name that store.
func (h *holding) borrow(db string) (*openedStore, error) {
	want, err1 := os.Stat(h.store.Path())
	got, err2 := os.Stat(db)
	if err1 != nil || err2 != nil || !os.SameFile(want, got) {
		return nil, fmt.Errorf("this control socket serves %s, not %s", h.store.Path(), db)
	}
	// A first 'sync --once' loads an empty store in bulk: its indexes and
	// rollups are built at the end, so until then a read would be wrong.
	if in, err := h.store.InBulkLoad(); err != nil || in {
		if err == nil {
			err = fmt.Errorf("%s is being loaded in bulk by the cxtop that holds it: its indexes and rollups are built when the load ends; try again then", db)
		}
		return nil, err
	}
	return &openedStore{Store: h.store, borrowed: true}, nil
}

// user is who a write is recorded as, the same whether the command runs
// here or for a control-socket client: the config's user, else the login
// name ($USER, the client's when forwarded), else the name of the user id
// (the client's, from the kernel, when forwarded).
func (a *app) user() string {
	uid := os.Getuid()
	if a.held != nil {
		uid = int(a.held.uid)
	}
	return actor(a.cfg.User, a.getenv("USER"), uid)
}

// actor is the person an action is recorded as: the config's user, else
// the login name ($USER), else the name of the process's user id — never
// a role such as "lead" or "cli".
func actor(configured, login string, uid int) string {
	switch {
	case configured != "":
		return configured
	case login != "":
		return login
	}
	return control.UserName(uint32(uid))
}

// gate is the door a command's writes go through, as the console's do:
// one action per change, written with its outbox entry. Run for a
// control-socket client, it is a lead's gate of the holder's engine (the
// one its console's keys go through); otherwise of an engine on the
// store, not started: the command only writes.
func (a *app) gate(s *openedStore) *engine.Gate {
	if a.held != nil && a.held.eng != nil {
		return a.held.eng.Gate(engine.RoleLead, a.user())
	}
	opt := a.engineOptions()
	opt.NoRules = true
	return engine.New(s.Store, opt).Gate(engine.RoleLead, a.user())
}

// controlSeam is every engine's Control (engineOptions): while an engine
// that may write runs, its store's control socket is open, and commands
// run for clients write through that engine's gate. The socket closes,
// waiting for the commands it runs, before the engine closes the store.
func (a *app) controlSeam(ctx context.Context, e *engine.Engine) error {
	srv, err := a.listenControl(e.Store(), e, e.Logf)
	if err != nil {
		return err
	}
	<-ctx.Done()
	return srv.Close()
}

// serveControl opens the control socket of st, which this process holds
// for writing without an engine (sync --once), and returns what closes
// it (before the store closes). A socket that cannot be opened is
// reported with logf and is not fatal: the holder works, other commands
// say the store is in use.
func (a *app) serveControl(st *store.Store, logf func(string, ...any)) (stop func()) {
	srv, err := a.listenControl(st, nil, logf)
	if err != nil {
		logf("%v", err)
		return func() {}
	}
	return func() { srv.Close() }
}

// listenControl opens the control socket of st; eng, when set, is the
// engine whose gate the clients' writes go through.
func (a *app) listenControl(st *store.Store, eng *engine.Engine, logf func(string, ...any)) (*control.Server, error) {
	path, err := a.socketPath(st.Path())
	var srv *control.Server
	if err == nil {
		srv, err = control.Listen(path, control.Options{Store: absPath(st.Path()), Version: version, Handler: a.controlHandler(st, eng), Logf: logf})
	}
	if err != nil {
		return nil, fmt.Errorf("control socket: %w: other cxtop commands on this store will say it is in use", err)
	}
	return srv, nil
}

// controlHandler runs a client's command line in this process, against
// the held store, with the same command code as an unheld run.
func (a *app) controlHandler(st *store.Store, eng *engine.Engine) control.Handler {
	return func(ctx context.Context, peer control.Peer, req control.Request, stdout, stderr io.Writer) (code int) {
		// A command's bug must not take the holder (a console, a sync)
		// down with it.
		defer func() {
			if r := recover(); r != nil {
				fmt.Fprintf(stderr, "cxtop: internal error in the cxtop holding the store: %v\n", r)
				code = 1
			}
		}()
		c := &app{io: stdio{in: strings.NewReader(""), out: stdout, err: stderr},
			getenv: func(k string) string { return req.Env[k] }, held: &holding{store: st, eng: eng, uid: peer.UID, dir: req.Dir}}
		return c.execute(ctx, req.Args)
	}
}
