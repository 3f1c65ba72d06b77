package control

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"
)

// Errors of Run that say no server is there.
var (
	// ErrNoSocket: nothing at the socket's path.
	ErrNoSocket = errors.New("no control socket")
	// ErrStale: a socket file nobody listens on (its process was killed).
	ErrStale = errors.New("stale control socket")
)

// Refused is a server's one-line refusal (another user, another protocol
// version, too many commands at once, a bad request).
type Refused struct{ Reason string }

func (r *Refused) Error() string { return r.Reason }

// dialTimeout bounds the connect and the hello's answer.
const dialTimeout = 5 * time.Second

// Run sends one command line to the server at path and copies the
// command's output to stdout and stderr as it arrives; it returns the
// command's exit status. When ctx ends the connection is closed, which
// cancels the command in the server.
func Run(ctx context.Context, path, version string, req Request, stdout, stderr io.Writer) (int, error) {
	c, err := net.DialTimeout("unix", path, dialTimeout)
	if err != nil {
		return 0, dialError(path, err)
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()

	c.SetDeadline(time.Now().Add(dialTimeout))
	h, _ := json.Marshal(hello{Protocol: Protocol, Cxtop: version})
	// A write error is not the end: a server that refuses without reading
	// (another user) has closed, and its refusal is there to read.
	c.Write(appendFrame(nil, frameHello, h))
	f, err := readFrame(c)
	if err != nil {
		return 0, fmt.Errorf("control socket %s: no answer to hello: %w", path, err)
	}
	switch f.typ {
	case frameRefuse:
		return 0, &Refused{string(f.payload)}
	case frameWelcome:
	default:
		return 0, fmt.Errorf("control socket %s: %w: expected a welcome, got type %q", path, ErrFrame, f.typ)
	}
	var w Welcome
	if err := decodeJSON(f.payload, &w, "welcome"); err != nil {
		return 0, err
	}
	if w.Protocol != Protocol {
		return 0, &Refused{mismatch(w.Protocol, Protocol, version)}
	}
	q, err := json.Marshal(req)
	if err != nil || len(q) > MaxPayload {
		return 0, fmt.Errorf("control socket %s: the command line is over %d bytes", path, MaxPayload)
	}
	if _, err := c.Write(appendFrame(nil, frameRequest, q)); err != nil {
		return 0, fmt.Errorf("control socket %s: %w", path, err)
	}
	c.SetDeadline(time.Time{})      // a command may take its time: export streams for minutes
	buf := make([]byte, MaxPayload) // reused: writers do not keep what they are given
	for {
		f, err := readFrameInto(c, buf)
		if err != nil {
			if ctx.Err() != nil {
				return 0, ctx.Err()
			}
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return 0, fmt.Errorf("the cxtop holding the store (pid %d) closed the connection before the command ended", w.PID)
			}
			return 0, fmt.Errorf("control socket %s: %w", path, err)
		}
		switch f.typ {
		case frameStdout:
			if _, err := stdout.Write(f.payload); err != nil {
				return 0, err // our stdout is closed (a pipe's reader left): stop
			}
		case frameStderr:
			stderr.Write(f.payload)
		case frameExit:
			return exitCode(f.payload), nil
		case frameRefuse:
			return 0, &Refused{string(f.payload)}
		default:
			return 0, fmt.Errorf("control socket %s: %w: unexpected type %q", path, ErrFrame, f.typ)
		}
	}
}

func dialError(path string, err error) error {
	switch {
	case errors.Is(err, syscall.ENOENT):
		return fmt.Errorf("%w at %s", ErrNoSocket, path)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("%w at %s", ErrStale, path)
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		return &Refused{fmt.Sprintf("control socket %s belongs to another user: run the command as the user who runs the cxtop holding the store", path)}
	}
	return fmt.Errorf("control socket %s: %s", path, strings.TrimPrefix(err.Error(), "dial unix "+path+": "))
}
