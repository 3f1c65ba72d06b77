package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Options tune how a store is opened.
type Options struct {
	// ReadOnly opens the file with a shared lock and refuses every write:
	// snapshots and viewers use it.
	ReadOnly bool
	// Create makes a new store when the file does not exist.
	Create bool
	// LockTimeout bounds the wait for another process's lock (default 1s).
	LockTimeout time.Duration
	// NoSync skips fsync on commit. Only for throwaway stores (tests,
	// benchmarks): a crash can lose or corrupt the file.
	NoSync bool
	// OnUpgrade, when set, is called before the rollups of an older store
	// are rebuilt from its records (a writable open, once per version):
	// on a large store that takes minutes, and the user should know why
	// the open waits.
	OnUpgrade func(fromVersion, toVersion uint64)
	// OnRebuildProgress, when set, is called as that rebuild goes, with
	// the records read so far and how many there are.
	OnRebuildProgress func(records, total int)
	// OnSchemaUpgrade, when set, is called before the indexes a newer
	// schema adds are built from the records of an older store (a
	// writable open, once): a million-ticket store takes tens of seconds.
	OnSchemaUpgrade func(fromVersion, toVersion uint64)
	// OnBulkResume, when set, is called before a writable open finishes
	// a bulk load that was interrupted (bulk_load.go): it builds the
	// indexes and rollups from the records, which takes a while.
	OnBulkResume func()
}

// Store is an open cxtop database. Its methods are safe for concurrent use.
type Store struct {
	db       *bolt.DB
	path     string
	readOnly bool
	// onUpgrade is Options.OnUpgrade.
	onUpgrade       func(fromVersion, toVersion uint64)
	onRebuild       func(records, total int)
	onSchemaUpgrade func(fromVersion, toVersion uint64)
	// schema is the store's schema version: an older read-only store
	// lacks the newer indexes, and its readers fall back to scans.
	schema uint64

	subsMu sync.Mutex
	subs   map[*Subscription]struct{}
	// held is what the writes of a bulk load changed, told to the
	// subscribers once its build is done (bulk_load.go).
	held Change

	// buildMu: writes hold it shared, a bulk load's build alone.
	buildMu sync.RWMutex
	// bulkHint is set while a bulk load runs, so batches are prepared
	// light (Prepare); the writes themselves read the marker in meta.
	bulkHint atomic.Bool
	// onBulkResume is Options.OnBulkResume.
	onBulkResume func()
}

// initialMmap is the address space mapped up front. A commit that grows
// the file past the map must remap it, and a remap waits for every open
// read transaction: beside a snapshot, an export or a console reading a
// store of some GB, the writer stalled for the rest of that read (4.4 s
// measured on a 2 GB store, docs/PERFORMANCE.md "Snapshots"). A mapping
// is address space, not memory (pages are read only when touched), so a
// 64-bit build maps 64 GiB; a 32-bit one cannot map more than 1 GiB.
const initialMmap = 1 << 30 << (strconv.IntSize / 64 * 6)

// bboltMagic is the magic number bbolt writes in its meta pages.
const bboltMagic = 0xED0CDAED

// Open opens the store at path. The errors say which file and what to do;
// they wrap ErrNotFound, ErrInUse, ErrNotStore, ErrCorrupt or ErrNewer.
func Open(path string, opt Options) (s *Store, err error) {
	if opt.LockTimeout <= 0 {
		opt.LockTimeout = time.Second
	}
	fresh, err := precheck(path, opt)
	if err != nil {
		return nil, err
	}
	if fresh {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("create store directory for %s: %w", path, err)
		}
		if _, err := createAtomic(path, opt); err != nil {
			return nil, err
		}
		fresh = false // it exists now, made whole: open it as any other
	}
	// bbolt panics on some kinds of damage; a bad file must be an error.
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("%w: %s (%v): restore it from a snapshot or re-sync into a new file", ErrCorrupt, path, r)
		}
	}()
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:         opt.LockTimeout,
		ReadOnly:        opt.ReadOnly,
		NoSync:          opt.NoSync,
		InitialMmapSize: initialMmap,
		FreelistType:    bolt.FreelistMapType,
	})
	if err != nil {
		return nil, openError(path, err)
	}
	s = &Store{db: db, path: path, readOnly: opt.ReadOnly, onUpgrade: opt.OnUpgrade, onRebuild: opt.OnRebuildProgress, onSchemaUpgrade: opt.OnSchemaUpgrade, onBulkResume: opt.OnBulkResume, subs: map[*Subscription]struct{}{}}
	if !fresh && opt.Create && !opt.ReadOnly && noBuckets(db) {
		// A process killed while creating the store left bbolt's file
		// without a bucket: nothing was written yet, so create it now.
		fresh = true
	}
	if err := s.initOrVerify(fresh); err != nil {
		db.Close()
		if fresh {
			os.Remove(path)
		}
		return nil, err
	}
	return s, nil
}

// noBuckets reports whether a bbolt file holds no bucket at all.
func noBuckets(db *bolt.DB) bool {
	none := true
	db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func([]byte, *bolt.Bucket) error {
			none = false
			return errStopWalk
		})
	})
	return none
}

var errStopWalk = errors.New("stop the walk")

// precheck refuses what bbolt would mishandle: a missing file for a reader,
// a directory, or an empty or foreign file (bbolt would format an empty file
// in place). It reports whether the store will be created.
func precheck(path string, opt Options) (fresh bool, err error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if !opt.Create || opt.ReadOnly {
			return false, fmt.Errorf("%w: %s", ErrNotFound, path)
		}
		return true, nil
	case err != nil:
		return false, fmt.Errorf("open store %s: %w", path, err)
	case fi.IsDir():
		return false, fmt.Errorf("%w: %s is a directory", ErrNotStore, path)
	case fi.Size() == 0:
		return false, fmt.Errorf("%w: %s is an %w", ErrNotStore, path, ErrEmptyFile)
	}
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("open store %s: %w", path, err)
	}
	defer f.Close()
	var head [32]byte
	if _, err := io.ReadFull(f, head[:]); err != nil || binary.LittleEndian.Uint32(head[16:20]) != bboltMagic {
		return false, fmt.Errorf("%w: %s is not a database file", ErrNotStore, path)
	}
	return false, checkFileSize(f, fi.Size(), path)
}

func openError(path string, err error) error {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return fmt.Errorf("%w: %s", ErrInUse, path)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch):
		return fmt.Errorf("%w: %s (%v): restore it from a snapshot or re-sync into a new file", ErrCorrupt, path, err)
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("open store %s: permission denied", path)
	}
	return fmt.Errorf("%w: %s (%v)", ErrCorrupt, path, err)
}

func (s *Store) initOrVerify(fresh bool) error {
	if fresh {
		s.schema = SchemaVersion
		return s.db.Update(func(tx *bolt.Tx) error {
			for _, name := range allBuckets {
				if _, err := tx.CreateBucketIfNotExists(name); err != nil {
					return fmt.Errorf("create bucket %s in %s: %w", name, s.path, err)
				}
			}
			meta := tx.Bucket(bucketMeta)
			if err := meta.Put(metaApp, appName); err != nil {
				return err
			}
			if err := meta.Put(metaSchema, u64(SchemaVersion)); err != nil {
				return err
			}
			if err := meta.Put(metaRollupVersion, u64(rollupVersion)); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(bucketActHours); err != nil {
				return err
			}
			return meta.Put(metaCreated, []byte(time.Now().UTC().Format(time.RFC3339)))
		})
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil || string(meta.Get(metaApp)) != string(appName) {
			return fmt.Errorf("%w: %s is a bbolt database of another program", ErrNotStore, s.path)
		}
		v := meta.Get(metaSchema)
		if len(v) != 8 {
			return fmt.Errorf("%w: %s has no valid schema version", ErrCorrupt, s.path)
		}
		if got := binary.BigEndian.Uint64(v); got > SchemaVersion {
			return fmt.Errorf("%w: %s has schema v%d, this cxtop reads up to v%d: upgrade cxtop", ErrNewer, s.path, got, SchemaVersion)
		}
		s.schema = binary.BigEndian.Uint64(v)
		if s.readOnly && meta.Get(metaBulkLoad) != nil {
			return fmt.Errorf("%w: %s holds the records of a bulk load that was stopped before its indexes and rollups were built", ErrBulkLoadUnfinished, s.path)
		}
		for _, name := range allBuckets {
			if tx.Bucket(name) == nil && s.readOnly && !newInSchema(name, s.schema) {
				return fmt.Errorf("%w: %s lacks bucket %q: open it once for writing to upgrade it", ErrCorrupt, s.path, name)
			}
		}
		return nil
	})
	if err != nil || s.readOnly {
		return err
	}
	// Buckets added within a schema version are created on a writable open.
	err = s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("upgrade %s: %w", s.path, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Indexes of a newer schema are built from the records (upgrade.go).
	if err := s.upgradeSchema(); err != nil {
		return err
	}
	// A bulk load that was stopped is finished (bulk_load.go).
	if err := s.resumeBulkLoad(); err != nil {
		return err
	}
	// So are rollup families (rollup_version.go).
	return s.upgradeRollups()
}

// Path is the file the store lives in.
func (s *Store) Path() string { return s.path }

// ReadOnly reports whether the store refuses writes.
func (s *Store) ReadOnly() bool { return s.readOnly }

// Close ends every subscription and releases the file.
func (s *Store) Close() error {
	s.subsMu.Lock()
	for sub := range s.subs {
		sub.close()
	}
	s.subs = map[*Subscription]struct{}{}
	s.subsMu.Unlock()
	return s.db.Close()
}

// SnapshotTo writes a consistent copy of the store to path (mode 0600),
// while writers carry on: Snapshot with the default options.
func (s *Store) SnapshotTo(path string) error {
	_, err := s.Snapshot(path, SnapshotOptions{})
	return err
}

func u64(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}

func readU64(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

// Commits is the id of the last committed write transaction: it grows by
// one with every commit to the file, whatever made it, so a test can show
// that nothing was written.
func (s *Store) Commits() (uint64, error) {
	var id uint64
	err := s.db.View(func(tx *bolt.Tx) error {
		id = uint64(tx.ID())
		return nil
	})
	return id, err
}
