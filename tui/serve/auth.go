package serve

import (
	"bytes"
	"fmt"
	"os"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// countAuthorizedKeys reads an authorized_keys file at start-up, so a
// missing, unreadable or empty file is an error then rather than every
// login failing later.
func countAuthorizedKeys(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("--authorized-keys %s: %w", path, unwrapPath(err))
	}
	n := 0
	for i, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		if _, _, _, _, err := gossh.ParseAuthorizedKey(line); err != nil {
			return 0, fmt.Errorf("--authorized-keys %s: line %d is not a public key (%v)", path, i+1, err)
		}
		n++
	}
	if n == 0 {
		return 0, fmt.Errorf("--authorized-keys %s lists no public keys: add one per line (ssh-ed25519 AAAA... name)", path)
	}
	return n, nil
}

// anyPublicKey admits every public key. Sessions are viewers, so a key
// only buys a read-only view of the dashboard; requiring one (rather than
// no authentication) still gives each session an identity in the log.
func anyPublicKey(ssh.Context, ssh.PublicKey) bool { return true }

// fingerprint is how a key appears in the log and the start-up line.
func fingerprint(k gossh.PublicKey) string {
	if k == nil {
		return "none"
	}
	return gossh.FingerprintSHA256(k)
}
