package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// bbolt's meta page, as it lays it out after the 16-byte page header:
// magic, version, page size, flags, root bucket (16), freelist page,
// high-water page id, transaction id, then an FNV-64a checksum of the
// bytes before it.
const (
	metaOff      = 16
	metaPageSize = metaOff + 8
	metaPgid     = metaOff + 40
	metaTxid     = metaOff + 48
	metaChecksum = metaOff + 56
	metaLen      = metaOff + 64
)

// checkFileSize refuses a file shorter than its meta page says it is. bbolt
// maps the file larger than it is; reading a page past a truncated end
// raises SIGBUS, which no recover catches: every command crashed with a
// 120-line trace on a store cut short by a full disk or a bad copy.
func checkFileSize(f *os.File, size int64, path string) error {
	var m0 [metaLen]byte
	if _, err := f.ReadAt(m0[:], 0); err != nil {
		return fmt.Errorf("%w: %s is too short to hold a store's first page", ErrCorrupt, path)
	}
	pageSize := int64(binary.LittleEndian.Uint32(m0[metaPageSize:]))
	metas := [][]byte{m0[:]}
	if pageSize >= 512 && pageSize <= 1<<20 {
		var m1 [metaLen]byte
		if _, err := f.ReadAt(m1[:], pageSize); err == nil {
			metas = append(metas, m1[:])
		}
	}
	// bbolt uses the valid meta page with the newest transaction.
	var best []byte
	for _, m := range metas {
		if !metaValid(m) {
			continue
		}
		if best == nil || binary.LittleEndian.Uint64(m[metaTxid:]) > binary.LittleEndian.Uint64(best[metaTxid:]) {
			best = m
		}
	}
	if best == nil {
		return fmt.Errorf("%w: %s: neither meta page is intact: restore it from a snapshot", ErrCorrupt, path)
	}
	ps := int64(binary.LittleEndian.Uint32(best[metaPageSize:]))
	need := int64(binary.LittleEndian.Uint64(best[metaPgid:])) * ps
	if size < need {
		return fmt.Errorf("%w: %s is truncated (%d bytes, its pages need %d): restore it from a snapshot, or re-sync into a new file", ErrCorrupt, path, size, need)
	}
	return nil
}

func metaValid(m []byte) bool {
	if binary.LittleEndian.Uint32(m[metaOff:]) != bboltMagic {
		return false
	}
	h := fnv.New64a()
	h.Write(m[metaOff:metaChecksum])
	return h.Sum64() == binary.LittleEndian.Uint64(m[metaChecksum:])
}

// createAtomic makes a new store at path whole or not at all: it is built
// in a temporary file beside path and linked into place, so a full disk or
// a kill during creation never leaves a 0-byte or half-made file that the
// next run would refuse. It reports false when another process created
// path first (that store is then opened as it is).
func createAtomic(path string, opt Options) (bool, error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".new-*")
	if err != nil {
		return false, fmt.Errorf("create store %s: %w", path, err)
	}
	name := tmp.Name()
	tmp.Close()
	defer os.Remove(name)
	if err := os.Chmod(name, 0o600); err != nil {
		return false, fmt.Errorf("create store %s: %w", path, err)
	}
	// bbolt formats an empty file it opens.
	db, err := bolt.Open(name, 0o600, &bolt.Options{Timeout: opt.LockTimeout, FreelistType: bolt.FreelistMapType})
	if err != nil {
		return false, fmt.Errorf("create store %s: %w", path, err)
	}
	s := &Store{db: db, path: path}
	err = s.initOrVerify(true)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, fmt.Errorf("create store %s: %w", path, err)
	}
	if err := os.Link(name, path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return false, nil
		}
		return false, fmt.Errorf("create store %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // the new name survives a crash
		d.Close()
	}
	return true, nil
}
