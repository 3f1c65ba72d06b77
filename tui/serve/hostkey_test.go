package serve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHostKeyIsMadeOnceWithMode0600(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "cxtop", "ssh_host_ed25519")
	first, err := loadHostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key mode %04o, want 0600", fi.Mode().Perm())
	}
	if first.PublicKey().Type() != "ssh-ed25519" {
		t.Fatalf("host key type %s", first.PublicKey().Type())
	}
	again, err := loadHostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if fingerprint(first.PublicKey()) != fingerprint(again.PublicKey()) {
		t.Fatal("the second start made a new host key")
	}
}

func TestHostKeyErrors(t *testing.T) {
	dir := t.TempDir()
	open := filepath.Join(dir, "open")
	if _, err := loadHostKey(open); err != nil {
		t.Fatal(err)
	}
	os.Chmod(open, 0o644)
	garbage := filepath.Join(dir, "garbage")
	os.WriteFile(garbage, []byte("not a key"), 0o600)
	for path, want := range map[string]string{
		open:    "is readable by others (mode 0644): run chmod 600",
		garbage: "is not an unencrypted OpenSSH private key",
		dir:     "host key " + dir + ": is a directory",
	} {
		if _, err := loadHostKey(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("loadHostKey(%s) = %v, want %q", path, err, want)
		}
	}
}

func TestLoadAuthorizedKeys(t *testing.T) {
	dir := t.TempDir()
	signer, err := loadHostKey(filepath.Join(dir, "k"))
	if err != nil {
		t.Fatal(err)
	}
	line := authorizedLine(signer.PublicKey())
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(s), 0o600)
		return p
	}
	good := write("good", "# ops\n\n"+line+"\n"+line)
	if keys, err := loadAuthorizedKeys(good); err != nil || len(keys) != 2 {
		t.Fatalf("loadAuthorizedKeys = %d, %v; want 2 keys", len(keys), err)
	}
	for path, want := range map[string]string{
		filepath.Join(dir, "missing"):         "no such file",
		write("empty", "# nobody yet\n"):      "lists no public keys",
		write("bad", line+"\nssh-rsa nope\n"): "line 2: not a public key",
	} {
		if _, err := loadAuthorizedKeys(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("loadAuthorizedKeys(%s) = %v, want %q", filepath.Base(path), err, want)
		}
	}
}

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o600) }
