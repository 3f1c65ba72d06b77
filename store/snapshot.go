package store

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// metaSnapshot holds a snapshot's SnapshotInfo (JSON) in its meta bucket;
// a live store has none.
var metaSnapshot = []byte("snapshot")

// SnapshotInfo describes a snapshot. It is written inside the snapshot, so
// the file says what it is wherever it is copied.
type SnapshotInfo struct {
	TakenAt time.Time `json:"taken_at"`
	From    string    `json:"from"`          // the store file it was taken from
	Version string    `json:"cxtop_version"` // the cxtop that took it
	// Seq is the store's change sequence the copy holds: two snapshots of
	// one store with the same Seq hold the same records.
	Seq uint64 `json:"seq"`
	// Source, Remote and Cursor are the sync state of the store it was
	// taken from ("" when it was never synced).
	Source   string `json:"source,omitempty"`
	Remote   string `json:"remote,omitempty"`
	Cursor   string `json:"cursor,omitempty"`
	Tickets  int    `json:"tickets"`
	Feedback int    `json:"feedback"`
	Events   int    `json:"events"`
	Alerts   int    `json:"alerts"`
	// Masked says customers' personal data was replaced by pseudonyms.
	Masked bool `json:"masked"`
}

// SnapshotOptions tune Snapshot.
type SnapshotOptions struct {
	Now     func() time.Time // the time recorded as taken (default time.Now)
	Version string           // the cxtop version recorded
	// Prepare runs on the copy, writable, after the copy is made and before
	// it gets its final name: to fill in what the store does not know (the
	// sync state's remote and cursor) and to mask personal data.
	Prepare func(copy *Store, info *SnapshotInfo) error
}

// SnapshotResult says what Snapshot wrote and how long the source's read
// transaction was held.
type SnapshotResult struct {
	Info  SnapshotInfo
	Bytes int64
	Copy  time.Duration // the read transaction: what writers run beside
}

// Snapshot writes a consistent copy of the store to path in one read
// transaction (writers carry on meanwhile), under a temporary name that is
// synced, given its metadata, synced again and only then renamed: a crash
// leaves either no snapshot or a whole one, never a partial file under
// path. The file is created 0600. A read-only store can be snapshotted too.
func (s *Store) Snapshot(path string, opt SnapshotOptions) (res SnapshotResult, err error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if _, err := os.Stat(path); err == nil {
		return res, fmt.Errorf("snapshot %s: file exists: choose a new name", path)
	}
	tmp := path + ".partial"
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return res, fmt.Errorf("snapshot %s: %w (a leftover %s from an interrupted snapshot can be removed)", path, unwrapPath(err), filepath.Base(tmp))
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	start := time.Now()
	err = s.db.View(func(tx *bolt.Tx) error {
		res.Info.TakenAt = opt.Now().UTC()
		res.Info.Seq = readU64(tx.Bucket(bucketMeta).Get(metaSeq))
		// Written in bounded chunks (snapshot_copy.go) so that a
		// writer's commit meanwhile never waits for the whole copy.
		w := newCopyWriter(f)
		if res.Bytes, err = tx.WriteTo(w); err != nil {
			return err
		}
		return w.finish()
	})
	res.Copy = time.Since(start)
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		return res, fmt.Errorf("snapshot %s: %w", path, err)
	}
	res.Info.From, res.Info.Version = s.path, opt.Version
	if err := describeCopy(tmp, &res.Info, opt.Prepare); err != nil {
		return res, fmt.Errorf("snapshot %s: %w", path, err)
	}
	if err := syncFile(tmp); err != nil {
		return res, fmt.Errorf("snapshot %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return res, fmt.Errorf("snapshot %s: %w", path, err)
	}
	// The rename is durable once the directory is.
	if err := syncFile(filepath.Dir(path)); err != nil {
		return res, fmt.Errorf("snapshot %s: %w", path, err)
	}
	return res, nil
}

// describeCopy opens the copy at tmp, lets prepare work on it, counts its
// records and stores info in its meta bucket. The copy is opened directly,
// without Open's upgrade of older rollups: a snapshot keeps what the store
// had, and the upgrade would rewrite it.
func describeCopy(tmp string, info *SnapshotInfo, prepare func(*Store, *SnapshotInfo) error) error {
	db, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: time.Second, NoSync: true, FreelistType: bolt.FreelistMapType})
	if err != nil {
		return fmt.Errorf("open the copy: %w", err)
	}
	cp := &Store{db: db, path: tmp, subs: map[*Subscription]struct{}{}}
	defer cp.Close()
	if prepare != nil {
		if err := prepare(cp, info); err != nil {
			return err
		}
	}
	err = db.Update(func(tx *bolt.Tx) error {
		info.Tickets = keyCount(tx, bucketTickets)
		info.Feedback = keyCount(tx, bucketFeedback)
		info.Events = keyCount(tx, bucketEvents)
		info.Alerts = keyCount(tx, bucketAlerts)
		v, err := json.Marshal(info)
		if err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(metaSnapshot, v)
	})
	if err != nil {
		return fmt.Errorf("describe the copy: %w", err)
	}
	return db.Sync()
}

func keyCount(tx *bolt.Tx, name []byte) int {
	b := tx.Bucket(name)
	if b == nil {
		return 0
	}
	return b.Stats().KeyN
}

// Snapshot reads the SnapshotInfo a snapshot holds; ok is false for a
// store that is not a snapshot.
func (s *Store) SnapshotInfo() (info SnapshotInfo, ok bool, err error) {
	v, err := s.Meta(string(metaSnapshot))
	if err != nil || len(v) == 0 {
		return info, false, err
	}
	if err := json.Unmarshal(v, &info); err != nil {
		return info, false, fmt.Errorf("%w: %s: its snapshot description is not valid JSON (%v)", ErrCorrupt, s.path, err)
	}
	return info, true, nil
}

// syncFile fsyncs a file or directory by name.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
