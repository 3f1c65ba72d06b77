package control

import (
	"context"
	"io"
	"net"
	"path/filepath"
	"testing"
)

// benchBytes is what one run streams: an export's worth of output.
const benchBytes = 64 << 20

// chunk is the size of the command's writes (store.Export writes through
// a 64 KiB buffer; the tables write lines).
var chunk = make([]byte, 32<<10)

// BenchmarkStreamThroughSocket: a command's stdout through the control
// protocol (frames, the buffered frame writer, the client's copy).
func BenchmarkStreamThroughSocket(b *testing.B) {
	s, err := Listen(filepath.Join(b.TempDir(), "s.sock"), Options{Handler: func(_ context.Context, _ Peer, _ Request, out, _ io.Writer) int {
		for n := 0; n < benchBytes; n += len(chunk) {
			out.Write(chunk)
		}
		return 0
	}})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.SetBytes(benchBytes)
	for b.Loop() {
		if _, err := Run(context.Background(), s.Path(), "bench", Request{Dir: "/"}, io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStreamRawSocket is the reference: the same bytes written on a
// plain Unix socket and read to io.Discard, no protocol.
func BenchmarkStreamRawSocket(b *testing.B) {
	path := filepath.Join(b.TempDir(), "raw.sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			for n := 0; n < benchBytes; n += len(chunk) {
				c.Write(chunk)
			}
			c.Close()
		}
	}()
	b.SetBytes(benchBytes)
	for b.Loop() {
		c, err := net.Dial("unix", path)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, c)
		c.Close()
	}
}
