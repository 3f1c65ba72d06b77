package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/cxtop/cxtop/model"
)

// maxSecretFile bounds what a secret file may hold: a token file is a few
// lines, and a path given by mistake (a log, a device) must not be read whole.
const maxSecretFile = 64 << 10

// ReadPrivateFile reads a file holding secrets, named by what (the flag or
// config key that gave it, for the error line). It must be a regular file
// that neither group nor others may read or write: a token in a file other
// users can read is no better than one on the command line, which ps shows.
func ReadPrivateFile(what, path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s %s: %w", what, path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", what, path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s %s is not a regular file: give the file that holds the secret", what, path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("%s %s is readable by others (mode %04o): chmod 600 it", what, path, perm)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxSecretFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", what, path, err)
	}
	if len(data) > maxSecretFile {
		return nil, fmt.Errorf("%s %s is over %d KiB: it should hold only the secret", what, path, maxSecretFile>>10)
	}
	return data, nil
}

// ReadSecretFile reads one secret (a token, a password) from a private
// file: one line, surrounding blanks and a final newline dropped.
func ReadSecretFile(what, path string) (string, error) {
	data, err := ReadPrivateFile(what, path)
	if err != nil {
		return "", err
	}
	secret := strings.TrimSpace(string(data))
	switch {
	case secret == "":
		return "", fmt.Errorf("%s %s is empty: write the secret (the token) in it", what, path)
	case strings.ContainsAny(secret, "\r\n"):
		return "", fmt.Errorf("%s %s holds several lines: keep only the secret in it, on one line", what, path)
	case !model.Printable(secret):
		return "", fmt.Errorf("%s %s holds a control character: keep only the secret in it", what, path)
	}
	return secret, nil
}
