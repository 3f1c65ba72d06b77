package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestOpenRefusesWhatIsNotAStore(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	foreign := filepath.Join(dir, "foreign.db")
	db, err := bolt.Open(foreign, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("widgets")); return err })
	db.Close()

	newer := filepath.Join(dir, "newer.db")
	s, err := Open(newer, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(metaSchema, u64(SchemaVersion+1)) })
	s.Close()

	corrupt := write("corrupt.db", nil)
	{
		src, _ := os.ReadFile(newer)
		damaged := append([]byte(nil), src...)
		for i := 20; i < 4096*2 && i < len(damaged); i++ { // both meta pages, magic kept
			damaged[i] ^= 0x5a
		}
		os.WriteFile(corrupt, damaged, 0o600)
	}

	for _, tc := range []struct {
		name string
		path string
		opt  Options
		want error
		msg  string
	}{
		{"missing", filepath.Join(dir, "none.db"), Options{}, ErrNotFound, "no store at this path"},
		{"directory", dir, Options{Create: true}, ErrNotStore, "is a directory"},
		{"empty file", write("empty.db", nil), Options{Create: true}, ErrNotStore, "is an empty file"},
		{"garbage", write("garbage.db", []byte(strings.Repeat("not a database ", 1000))), Options{}, ErrNotStore, "not a database file"},
		{"short garbage", write("short.db", []byte("hi")), Options{}, ErrNotStore, "not a database file"},
		{"foreign bbolt", foreign, Options{}, ErrNotStore, "another program"},
		{"newer schema", newer, Options{}, ErrNewer, "newer cxtop"},
		{"corrupt", corrupt, Options{}, ErrCorrupt, "corrupt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := os.ReadFile(tc.path)
			s, err := Open(tc.path, tc.opt)
			if err == nil {
				s.Close()
				t.Fatal("opened without error")
			}
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) || !strings.Contains(err.Error(), tc.path) {
				t.Fatalf("err %q, want %v mentioning %q and the path", err, tc.want, tc.msg)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error should be one line: %q", err)
			}
			after, _ := os.ReadFile(tc.path)
			if string(before) != string(after) {
				t.Fatal("a refused open changed the file")
			}
		})
	}
}

func TestOpenInUseFailsFast(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cx.db")
	s, err := Open(path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = Open(path, Options{LockTimeout: 200 * time.Millisecond})
	if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "in use by another cxtop process") {
		t.Fatalf("err %v, want ErrInUse", err)
	}
}

// A process killed while creating a store leaves bbolt's file with no
// bucket; the next writable open creates the store in it.
func TestOpenFinishesACreationCutShort(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cx.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(path, Options{ReadOnly: true}); err == nil {
		t.Fatal("a read-only open of an empty bbolt file succeeded")
	}
	s, err := Open(path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustCheck(t, s)
}
