package control

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
)

// maxSunPath is the longest socket path Linux takes: sun_path is 108
// bytes with its terminating NUL.
const maxSunPath = 107

// SocketPath is where the control socket of the store at db lives: beside
// the store as "<db>.sock" when that fits in sun_path, else in fallbackDir
// (the caller's $XDG_RUNTIME_DIR/cxtop or state dir) under a name made
// from a hash of the store's absolute path. Symbolic links are resolved
// first, so two names of one store find one socket.
func SocketPath(db, fallbackDir string) (string, error) {
	abs, err := filepath.Abs(db)
	if err != nil {
		return "", fmt.Errorf("control socket of %s: %w", db, err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if beside := abs + ".sock"; len(beside) <= maxSunPath {
		return beside, nil
	}
	sum := sha256.Sum256([]byte(abs))
	p := filepath.Join(fallbackDir, "store-"+hex.EncodeToString(sum[:12])+".sock")
	if len(p) > maxSunPath {
		return "", fmt.Errorf("control socket of %s: %s is too long for a Unix socket path: set XDG_RUNTIME_DIR to a shorter directory", db, p)
	}
	return p, nil
}

// isSocket reports whether path is a Unix socket (and not, say, a file
// the user named db.sock, which must never be removed).
func isSocket(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && fi.Mode().Type() == os.ModeSocket
}

// RemoveStale removes the socket at path when it is a socket. Call it only
// when the store's lock shows no process holds the store, so nobody serves
// it.
func RemoveStale(path string) error {
	if !isSocket(path) {
		return nil
	}
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("remove stale control socket %s: %w", path, err)
	}
	return nil
}
