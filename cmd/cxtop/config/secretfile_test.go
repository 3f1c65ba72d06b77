package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A secret file is read only when it is private, and holds one secret.
func TestReadSecretFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name, path, want, err string
	}{
		{"one line", write("ok", "  s3cret \n", 0o600), "s3cret", ""},
		{"owner read only", write("ro", "Zq9-secret\n", 0o400), "Zq9-secret", ""},
		{"world readable", write("loose", "Zq9-secret\n", 0o644), "", "is readable by others (mode 0644): chmod 600 it"},
		{"group readable", write("group", "Zq9-secret\n", 0o640), "", "is readable by others (mode 0640)"},
		{"group writable", write("gw", "Zq9-secret\n", 0o620), "", "is readable by others (mode 0620)"},
		{"empty", write("empty", " \n\n", 0o600), "", "is empty"},
		{"two lines", write("two", "a\nb\n", 0o600), "", "holds several lines"},
		{"escape", write("esc", "a\x1b[2Jb\n", 0o600), "", "holds a control character"},
		{"too big", write("big", strings.Repeat("x", maxSecretFile+1), 0o600), "", "is over 64 KiB"},
		{"missing", filepath.Join(dir, "none"), "", "no such file or directory"},
		{"directory", dir, "", "is not a regular file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadSecretFile("--token-file", tc.path)
			if tc.err == "" {
				if err != nil || got != tc.want {
					t.Fatalf("got %q, %v; want %q", got, err, tc.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.HasPrefix(err.Error(), "--token-file "+tc.path) {
				t.Fatalf("got %q, %v; want an error naming the flag and the file and saying %q", got, err, tc.err)
			}
			if strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "Zq9") {
				t.Fatalf("the error is not one line, or shows the secret: %q", err)
			}
		})
	}
}

// Secrets of the delivery drivers follow the same rule.
func TestSecretFileMustBePrivate(t *testing.T) {
	p := filepath.Join(t.TempDir(), "smtp")
	os.WriteFile(p, []byte("pw\n"), 0o600)
	os.Chmod(p, 0o644)
	none := func(string) string { return "" }
	if _, err := Secret(none, "", "CXTOP_SMTP_PASSWORD", p); err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Fatalf("a secret file others may read was accepted: %v", err)
	}
	os.Chmod(p, 0o600)
	if v, err := Secret(none, "", "CXTOP_SMTP_PASSWORD", p); err != nil || v != "pw" {
		t.Fatalf("private file: %q %v", v, err)
	}
}

func TestSyncTokenAndTokenFileExcludeEachOther(t *testing.T) {
	_, err := Parse("c.toml", []byte("[sync]\ntoken = \"a\"\ntoken_file = \"/x\"\n"))
	if err == nil || !strings.Contains(err.Error(), "sync.token and sync.token_file exclude each other") {
		t.Fatalf("got %v", err)
	}
	s, err := Parse("c.toml", []byte("[sync]\ntoken_file = \"/etc/cxtop/token\"\n"))
	if err != nil || s.Sync.TokenFile != "/etc/cxtop/token" {
		t.Fatalf("got %+v, %v", s.Sync, err)
	}
}
