package store

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// The chunked copy writes exactly the bytes it is given, in order, whatever
// the mix of small writes (the meta pages) and a long read (the data
// pages), and whether the total ends on a chunk boundary or not.
func TestCopyWriterWritesEveryByteInOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name  string
		heads []int // sizes written with Write first
		body  int   // then read with ReadFrom
	}{
		{"empty", nil, 0},
		{"meta pages only", []int{4096, 4096}, 0},
		{"less than a chunk", []int{4096, 4096}, 100_000},
		{"exact chunks", []int{4096, 4096}, 3*copyChunk - 8192},
		{"many chunks and a tail", []int{4096, 4096}, (copyLag+3)*copyChunk + 12345},
		{"a write larger than a chunk", []int{2*copyChunk + 7}, copyChunk + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want bytes.Buffer
			path := filepath.Join(t.TempDir(), "copy")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			w := newCopyWriter(f)
			for _, n := range tc.heads {
				p := randomBytes(rng, n)
				want.Write(p)
				if got, err := w.Write(p); err != nil || got != n {
					t.Fatalf("Write(%d bytes) = %d, %v", n, got, err)
				}
			}
			body := randomBytes(rng, tc.body)
			want.Write(body)
			// A reader that returns short reads, as a file may.
			got, err := w.ReadFrom(&shortReader{r: bytes.NewReader(body), max: 1 << 20})
			if err != nil || got != int64(tc.body) {
				t.Fatalf("ReadFrom = %d, %v; want %d", got, err, tc.body)
			}
			// The page cache never holds more than the bound of the copy.
			if len(w.pending) > copyLag {
				t.Fatalf("%d chunks in flight, want at most %d", len(w.pending), copyLag)
			}
			if err := w.finish(); err != nil {
				t.Fatal(err)
			}
			if len(w.pending) != 0 {
				t.Fatalf("%d chunks still pending after finish", len(w.pending))
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(data, want.Bytes()) {
				t.Fatalf("the copy differs: %d bytes, want %d", len(data), want.Len())
			}
		})
	}
}

func randomBytes(rng *rand.Rand, n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(rng.Uint32())
	}
	return p
}

type shortReader struct {
	r   io.Reader
	max int
}

func (s *shortReader) Read(p []byte) (int, error) {
	if len(p) > s.max {
		p = p[:s.max]
	}
	return s.r.Read(p)
}
