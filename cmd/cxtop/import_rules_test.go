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

// An import into a store that holds no record is a bulk load (the
// indexes and rollups built after its transaction): a failed one must
// leave the store as it was, readable, with no load left to finish.
func TestFailedImportIntoAnEmptyStoreLeavesItReadable(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "empty.db")
	empty := filepath.Join(dir, "empty.jsonl")
	os.WriteFile(empty, nil, 0o600)
	if r := cxtop(t, nil, "import", "--db", db, empty); r.code != 0 {
		t.Fatalf("import of nothing: %+v", r)
	}
	src := cxtop(t, nil, "export", "--db", simulated(t, dir)).out
	good := strings.SplitN(src, "\n", 3)
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(good[0]+"\n"+good[1]+"\nnot json\n"), 0o600)
	wantOneLineError(t, cxtop(t, nil, "import", "--db", db, bad), 1, "line 3: not a JSON object")
	if r := cxtop(t, nil, "export", "--db", db); r.code != 0 || r.out != "" {
		t.Fatalf("export after a failed import: %+v", r)
	}
	if r := cxtop(t, nil, "check", "--db", db); r.code != 0 || !strings.Contains(r.out, "ok:") {
		t.Fatalf("check after a failed import: %+v", r)
	}
	// And a good import into it afterwards is whole.
	file := filepath.Join(dir, "all.jsonl")
	os.WriteFile(file, []byte(src), 0o600)
	if r := cxtop(t, nil, "import", "--db", db, file); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	if r := cxtop(t, nil, "export", "--db", db); r.out != src {
		t.Fatal("the bulk import's export differs from its source")
	}
	if r := cxtop(t, nil, "check", "--db", db); r.code != 0 || !strings.Contains(r.out, "ok: indexes and rollups agree") {
		t.Fatalf("check after the bulk import: %+v", r)
	}
}
