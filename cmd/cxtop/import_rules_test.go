package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// import follows sync's rule: an older version of a ticket never replaces
// a newer one.
func TestImportKeepsNewerTickets(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	line := strings.SplitN(cxtop(t, nil, "export", "--db", db).out, "\n", 2)[0]
	// version 0 is older than anything simulate writes
	older := strings.Replace(line, `"subject":"`, `"subject":"OLDER `, 1)
	older = replaceVersion(older, "0")
	file := filepath.Join(dir, "old.jsonl")
	os.WriteFile(file, []byte(older+"\n"), 0o600)
	r := cxtop(t, nil, "import", "--db", db, file)
	if r.code != 0 || !strings.Contains(r.errOut, "1 older than the store's and kept") {
		t.Fatalf("import of an older version: %+v", r)
	}
	if strings.Contains(cxtop(t, nil, "export", "--db", db).out, "OLDER") {
		t.Fatal("an older version replaced the newer one")
	}
}

// replaceVersion sets the "version" of an exported line.
func replaceVersion(line, v string) string {
	i := strings.Index(line, `"version":`) + len(`"version":`)
	j := i + strings.IndexAny(line[i:], ",}")
	return line[:i] + v + line[j:]
}
