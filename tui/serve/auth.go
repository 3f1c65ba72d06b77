package serve

import (
	"fmt"
	"os"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// loadAuthorizedKeys reads an authorized_keys file, so a missing,
// unreadable or empty file, or a line with options serve cannot honour, is
// an error at start-up rather than every login failing later.
func loadAuthorizedKeys(path string) ([]authorizedKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--authorized-keys %s: %w", path, unwrapPath(err))
	}
	keys, err := parseAuthorizedKeys(data)
	if err != nil {
		return nil, fmt.Errorf("--authorized-keys %s: %w", path, err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("--authorized-keys %s lists no public keys: add one per line (ssh-ed25519 AAAA... name)", path)
	}
	return keys, nil
}

type noPtyKey struct{}

// publicKey decides a login. Past its failure budget an address is turned
// away before its key is looked at. With an authorized_keys file, the file
// is re-read at every login (removing a line locks a key out at once; a
// file that no longer parses admits nobody) and the line's from= and
// expiry-time apply; its no-pty is remembered for the pty request.
func (s *Server) publicKey(ctx ssh.Context, key ssh.PublicKey) bool {
	ip := hostOf(ctx.RemoteAddr())
	if s.guard.blocked(ip) {
		return false
	}
	if s.opt.AuthorizedKeysPath == "" {
		return true
	}
	keys, err := loadAuthorizedKeys(s.opt.AuthorizedKeysPath)
	if err != nil {
		s.opt.Logf("serve: login refused: %v", err)
		s.guard.fail(ip)
		return false
	}
	k, ok := admits(keys, key, ctx.RemoteAddr(), s.opt.Now())
	if !ok {
		s.guard.fail(ip)
		return false
	}
	if k.noPty {
		ctx.SetValue(noPtyKey{}, true)
	}
	return true
}

// ptyAllowed refuses a terminal to a key whose line says no-pty (or
// restrict), and a window too large to draw: a session without a pty is
// then turned away by needTerminal.
func (s *Server) ptyAllowed(ctx ssh.Context, pty ssh.Pty) bool {
	if v, _ := ctx.Value(noPtyKey{}).(bool); v {
		return false
	}
	return pty.Window.Width > 0 && pty.Window.Height > 0 && pty.Window.Width <= MaxWindowWidth && pty.Window.Height <= MaxWindowHeight
}

// fingerprint is how a key appears in the log and the start-up line.
func fingerprint(k gossh.PublicKey) string {
	if k == nil {
		return "none"
	}
	return gossh.FingerprintSHA256(k)
}
