package control

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
)

// Protocol is the version of the control protocol this cxtop speaks. A
// client and a server of different versions refuse each other with a
// line naming both.
const Protocol = 1

// MaxPayload bounds one frame's payload. Output longer than this is sent
// as several frames, so a large export streams.
const MaxPayload = 64 << 10

// headerLen is a frame's type byte and its big-endian uint32 length.
const headerLen = 5

// Frame types, one byte each.
const (
	frameHello   byte = 'H' // client → server: JSON hello
	frameWelcome byte = 'W' // server → client: JSON welcome
	frameRefuse  byte = 'N' // server → client: a one-line reason; the server closes
	frameRequest byte = 'Q' // client → server: JSON request
	frameStdout  byte = 'O' // server → client: stdout bytes
	frameStderr  byte = 'E' // server → client: stderr bytes
	frameExit    byte = 'X' // server → client: int32 exit status; the last frame
)

// ErrFrame is wrapped by every error about a malformed frame.
var ErrFrame = errors.New("malformed control frame")

// frame is one decoded frame.
type frame struct {
	typ     byte
	payload []byte
}

func knownType(t byte) bool {
	switch t {
	case frameHello, frameWelcome, frameRefuse, frameRequest, frameStdout, frameStderr, frameExit:
		return true
	}
	return false
}

// readFrame reads one frame. It refuses an unknown type or a length over
// MaxPayload before reading the payload, so a hostile peer cannot make it
// allocate more than MaxPayload. io.EOF means the peer closed between
// frames; a frame cut short is io.ErrUnexpectedEOF.
func readFrame(r io.Reader) (frame, error) { return readFrameInto(r, nil) }

// readFrameInto is readFrame with the payload read into buf when it is
// large enough, so a client copying a long output allocates once.
func readFrameInto(r io.Reader, buf []byte) (frame, error) {
	var h [headerLen]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return frame{}, err
	}
	f := frame{typ: h[0]}
	if !knownType(f.typ) {
		return frame{}, fmt.Errorf("%w: unknown type 0x%02x", ErrFrame, f.typ)
	}
	n := binary.BigEndian.Uint32(h[1:])
	if n > MaxPayload {
		return frame{}, fmt.Errorf("%w: %d-byte payload is over the %d-byte limit", ErrFrame, n, MaxPayload)
	}
	if f.typ == frameExit && n != 4 {
		return frame{}, fmt.Errorf("%w: exit frame of %d bytes, want 4", ErrFrame, n)
	}
	if uint32(cap(buf)) >= n {
		f.payload = buf[:n]
	} else {
		f.payload = make([]byte, n)
	}
	if _, err := io.ReadFull(r, f.payload); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return frame{}, err
	}
	return f, nil
}

// appendFrame appends one frame to b; payload must fit MaxPayload.
func appendFrame(b []byte, typ byte, payload []byte) []byte {
	b = append(b, typ, 0, 0, 0, 0)
	binary.BigEndian.PutUint32(b[len(b)-4:], uint32(len(payload)))
	return append(b, payload...)
}

func exitPayload(code int) []byte {
	return binary.BigEndian.AppendUint32(nil, uint32(int32(code)))
}

func exitCode(payload []byte) int { return int(int32(binary.BigEndian.Uint32(payload))) }

// frameWriter sends frames on one connection for several writers (the
// command's stdout and stderr): stdout is buffered so a chatty command
// does not cost a system call per line, stderr is flushed at once so a
// notice arrives when it is written, and the order between them is kept.
type frameWriter struct {
	mu  sync.Mutex
	bw  *bufio.Writer
	err error // the first write error: every later write returns it
}

func newFrameWriter(w io.Writer) *frameWriter {
	return &frameWriter{bw: bufio.NewWriterSize(w, MaxPayload+headerLen)}
}

// send writes p as frames of type typ, split at MaxPayload.
func (fw *frameWriter) send(typ byte, p []byte, flush bool) error {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	if fw.err != nil {
		return fw.err
	}
	var hdr [headerLen]byte
	for first := true; first || len(p) > 0; first = false {
		chunk := p[:min(len(p), MaxPayload)]
		p = p[len(chunk):]
		hdr[0] = typ
		binary.BigEndian.PutUint32(hdr[1:], uint32(len(chunk)))
		if _, fw.err = fw.bw.Write(hdr[:]); fw.err == nil {
			_, fw.err = fw.bw.Write(chunk)
		}
		if fw.err != nil {
			return fw.err
		}
	}
	if flush {
		fw.err = fw.bw.Flush()
	}
	return fw.err
}

// stream is an io.Writer of one frame type.
type stream struct {
	fw    *frameWriter
	typ   byte
	flush bool
}

func (s stream) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if err := s.fw.send(s.typ, p, s.flush); err != nil {
		return 0, err
	}
	return len(p), nil
}
