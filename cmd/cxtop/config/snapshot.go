package config

import (
	"fmt"
	"time"

	"github.com/cxtop/cxtop/model"
)

// Snapshot is the [snapshot] section: the rotation `cxtop sync` and
// `cxtop serve` run when --snapshot-every (or every here) is set. Flags
// override it.
type Snapshot struct {
	Every model.Duration `toml:"every"` // take a snapshot this often (0: never)
	Dir   string         `toml:"dir"`   // where (default: snapshots/ beside the store)
	Keep  int            `toml:"keep"`  // rotated snapshots kept (default 7)
}

// DefaultSnapshotKeep is how many rotated snapshots are kept by default.
const DefaultSnapshotKeep = 7

func (s Snapshot) check() error {
	if d := s.Every.Duration; d != 0 && (d < time.Second || d > 30*24*time.Hour) {
		return fmt.Errorf("snapshot.every %s: use 1s to 720h, or leave it out for no rotation", d)
	}
	if s.Keep < 0 || s.Keep > 1000 {
		return fmt.Errorf("snapshot.keep %d: use 1 to 1000", s.Keep)
	}
	return nil
}

// KeepOrDefault is Keep, or DefaultSnapshotKeep when unset.
func (s Snapshot) KeepOrDefault() int {
	if s.Keep == 0 {
		return DefaultSnapshotKeep
	}
	return s.Keep
}
