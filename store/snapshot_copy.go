package store

import (
	"io"
	"os"
)

// A snapshot's copy is written in chunks; each chunk's writeback starts as
// soon as it is written, and the copy waits for it copyLag chunks later, so
// at most copyChunk*(copyLag+1) bytes of the copy are ever dirty or in
// flight.
//
// Why: a writer committing beside the snapshot fdatasyncs the store, and
// on ext4 that commit waits for the journal, which waits for the data of
// files whose blocks it allocated — the copy's. Left to the page cache, the
// whole copy (a GB or more) stayed dirty until the snapshot's own final
// fsync, and the commits meanwhile waited for all of it to reach the disk:
// 270-430 ms against a 20-40 ms median at 200,000 tickets, 0.8-1.0 s at
// 1,000,000 (docs/PERFORMANCE.md, "Snapshots"). The copy stays in the page
// cache (clean): describeCopy reads it back, and dropping it made that read
// come from the disk, 5-10 times slower.
const (
	copyChunk = 4 << 20
	copyLag   = 1
)

// copyWriter writes a snapshot's bytes in order to f. tx.WriteTo gives it
// the two meta pages through Write, then the data pages through ReadFrom,
// which reads a chunk at a time straight into the buffer.
type copyWriter struct {
	f       *os.File
	buf     []byte
	n       int   // bytes in buf
	off     int64 // where buf[0] goes in f
	pending []span
}

// span is a chunk of the copy whose writeback was started.
type span struct{ off, n int64 }

func newCopyWriter(f *os.File) *copyWriter {
	return &copyWriter{f: f, buf: make([]byte, copyChunk)}
}

func (w *copyWriter) Write(p []byte) (int, error) {
	total := 0
	for len(p) > 0 {
		c := copy(w.buf[w.n:], p)
		w.n += c
		p = p[c:]
		total += c
		if w.n == len(w.buf) {
			if err := w.flush(); err != nil {
				return total, err
			}
		}
	}
	return total, nil
}

func (w *copyWriter) ReadFrom(r io.Reader) (int64, error) {
	var total int64
	for {
		c, err := r.Read(w.buf[w.n:])
		w.n += c
		total += int64(c)
		if w.n == len(w.buf) {
			if ferr := w.flush(); ferr != nil {
				return total, ferr
			}
		}
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

// flush writes the buffer and starts its writeback, waiting for the
// chunks older than copyLag.
func (w *copyWriter) flush() error {
	if w.n == 0 {
		return nil
	}
	if _, err := w.f.WriteAt(w.buf[:w.n], w.off); err != nil {
		return err
	}
	s := span{w.off, int64(w.n)}
	w.off += int64(w.n)
	w.n = 0
	if err := startWriteback(w.f, s); err != nil {
		return err
	}
	w.pending = append(w.pending, s)
	for len(w.pending) > copyLag {
		if err := w.settle(); err != nil {
			return err
		}
	}
	return nil
}

// settle waits for the oldest pending chunk to be on the disk.
func (w *copyWriter) settle() error {
	s := w.pending[0]
	w.pending = w.pending[1:]
	return awaitWriteback(w.f, s)
}

// finish writes what is buffered and waits for every chunk: the caller's
// fsync then has only the file's metadata left to write.
func (w *copyWriter) finish() error {
	if err := w.flush(); err != nil {
		return err
	}
	for len(w.pending) > 0 {
		if err := w.settle(); err != nil {
			return err
		}
	}
	return nil
}
