package main

import (
	"bytes"
	"context"
	binenc "encoding/binary"
	"encoding/json"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/control"
)

// TestHolderRunsOnlyTheAllowedCommands: the holder's handler runs the
// read and gate commands against its store, and answers anything else —
// another command, the console, another store — with one line and exit 1.
func TestHolderRunsOnlyTheAllowedCommands(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := &app{getenv: func(string) string { return "" }}
	handle := a.controlHandler(st, nil)
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := handle(context.Background(), control.Peer{UID: 1000}, control.Request{Args: args, Dir: dir}, &out, &errOut)
		return code, out.String(), errOut.String()
	}
	if code, out, errOut := run("tickets", "--db=sim.db", "--limit=2", "--json"); code != 0 || !strings.HasPrefix(out, "[\n{\"kind\":\"ticket\"") || errOut != "" {
		t.Fatalf("tickets with a --db relative to the client's directory: %d %q %q", code, out, errOut)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"simulate", "--db=" + db, "--days=1"}, "cxtop: 'cxtop simulate' does not run through the control socket of the cxtop holding " + db},
		{[]string{"import", "--db=" + db, "x.jsonl"}, "'cxtop import' does not run through the control socket"},
		{[]string{"--db=" + db}, "cxtop: the console does not run through the control socket"},
		{[]string{"kpi", "--db=" + filepath.Join(dir, "other.db")}, "this control socket serves " + db + ", not " + filepath.Join(dir, "other.db")},
	} {
		code, out, errOut := run(tc.args...)
		if code != 1 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want one line with %q", tc.args, code, out, errOut, tc.want)
		}
	}
}

// TestHeldCheckAndExportEndWithTheirClient: check and export run for a
// client that went away (the handler's context ended) stop, and say why,
// instead of reading the whole store in the holder for nobody.
func TestHeldCheckAndExportEndWithTheirClient(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := &app{getenv: func(string) string { return "" }}
	handle := a.controlHandler(st, nil)
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	for _, cmd := range []string{"check", "export"} {
		var out, errOut bytes.Buffer
		code := handle(gone, control.Peer{UID: 1000}, control.Request{Args: []string{cmd, "--db=" + db}, Dir: dir}, &out, &errOut)
		if code != 1 || out.Len() != 0 || !strings.Contains(errOut.String(), "context canceled") {
			t.Errorf("%s for a client that left: exit %d, %d bytes out, stderr %q", cmd, code, out.Len(), errOut.String())
		}
	}
}

// TestRequestCarriesTheClientsOutputVariables: the variables that change
// how output is written travel with a forwarded command (the holder's own
// never apply); secrets do not.
func TestRequestCarriesTheClientsOutputVariables(t *testing.T) {
	env := map[string]string{"TZ": "Asia/Ho_Chi_Minh", "NO_COLOR": "1", "USER": "lan", "CXTOP_WEBHOOK_SECRET": "s3cret", "CXTOP_TOKEN": "t"}
	got := (&app{getenv: func(k string) string { return env[k] }}).forwardedEnv()
	for _, k := range []string{"TZ", "NO_COLOR", "USER"} {
		if got[k] != env[k] {
			t.Errorf("%s is %q in the request, want %q", k, got[k], env[k])
		}
	}
	for _, k := range []string{"CXTOP_WEBHOOK_SECRET", "CXTOP_TOKEN"} {
		if _, ok := got[k]; ok {
			t.Errorf("the secret %s travels in the request", k)
		}
	}
}

// fakeHolder listens at path and answers a hello with a welcome of
// protocol version v.
func fakeHolder(t *testing.T, path string, v int) {
	t.Helper()
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			var h [5]byte
			io.ReadFull(c, h[:])
			io.CopyN(io.Discard, c, int64(binenc.BigEndian.Uint32(h[1:])))
			w, _ := json.Marshal(control.Welcome{Protocol: v, Cxtop: "v9", PID: 42})
			c.Write(append(binenc.BigEndian.AppendUint32([]byte{'W'}, uint32(len(w))), w...))
			c.Close()
		}
	}()
}

// TestProtocolMismatchIsOneLine: a holder of another protocol version is
// named with both versions, in one line, and nothing runs.
func TestProtocolMismatchIsOneLine(t *testing.T) {
	db := simulated(t, t.TempDir())
	fakeHolder(t, db+".sock", control.Protocol+1)
	r := runIn(t, "kpi", "--db", db)
	wantOneLineError(t, r, 1, "control protocol mismatch: the cxtop holding the store speaks v2, this cxtop (dev) v1")
	if r.out != "" {
		t.Fatalf("stdout %q", r.out)
	}
}

// TestHolderRefusesCommandsDuringABulkLoad: while the holder (a first
// sync --once) loads its empty store in bulk, its indexes and rollups are
// empty: a command sent to it is refused with one line saying when to try
// again, and runs once the load has ended.
func TestHolderRefusesCommandsDuringABulkLoad(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "empty.db")
	st, err := store.Open(db, store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if started, err := st.BeginBulkLoad(); err != nil || !started {
		t.Fatalf("BeginBulkLoad: %v %v", started, err)
	}
	a := &app{getenv: func(string) string { return "" }}
	handle := a.controlHandler(st, nil)
	run := func(args ...string) (int, string) {
		var out, errOut bytes.Buffer
		code := handle(context.Background(), control.Peer{UID: 1000}, control.Request{Args: args, Dir: dir}, &out, &errOut)
		return code, errOut.String()
	}
	if code, errOut := run("kpi", "--db="+db); code != 1 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "is being loaded in bulk") {
		t.Fatalf("kpi during a bulk load: exit %d, stderr %q", code, errOut)
	}
	if err := st.FinishBulkLoad(); err != nil {
		t.Fatal(err)
	}
	if code, errOut := run("check", "--db="+db); code != 0 {
		t.Fatalf("check after the bulk load: exit %d, stderr %q", code, errOut)
	}
}

func TestHeldByCxtop(t *testing.T) {
	self := filepath.Base(os.Args[0])
	for command, want := range map[string]bool{
		"/usr/local/bin/cxtop simulate --db /tmp/cx.db --tickets 1000000": true,
		"cxtop import --db x.db records.jsonl":                            true,
		"/tmp/build/" + self + " sync --once":                             true,
		"/tmp/go-build1/b001/cxtop.test -test.paniconexit0":               self == "cxtop.test",
		"python3 hold.py /tmp/cx.db":                                      false,
		"/usr/bin/cxtopper run":                                           false,
		"":                                                                false,
	} {
		if got := heldByCxtop(command); got != want {
			t.Errorf("heldByCxtop(%q) = %v, want %v", command, got, want)
		}
	}
}
