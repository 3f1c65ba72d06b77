package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostileText holds what a record or a remote may carry to attack a
// terminal: a title change, an OSC 52 clipboard write, a screen clear, an
// 8-bit CSI, a bidi override and zero-width characters.
const hostileText = "\x1b]0;pwned\x07\x1b]52;c;ZWNobyBoaQ==\x07\x1b[2J\u009b31m\u202egnp.exe\u200b\ufeff"

// wantNoTerminalControl fails when text holds anything Sanitize removes.
func wantNoTerminalControl(t *testing.T, what, text string) {
	t.Helper()
	for _, bad := range []string{"\x1b", "\u009b", "\u202e", "\u200b", "\ufeff", "\a"} {
		if strings.Contains(text, bad) {
			t.Fatalf("%s carries %q to the terminal: %q", what, bad, text)
		}
	}
}

func TestRecordTextIsSanitizedInCommandOutput(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	line := strings.SplitN(cxtop(t, nil, "export", "--db", db).out, "\n", 2)[0]
	// a ticket whose subject is hostile, reopened so the queue lists it
	evil := strings.Replace(line, `"subject":"`, `"subject":"`+jsonEscape(hostileText), 1)
	evil = strings.Replace(evil, `"version":`, `"version":9`, 1)
	file := filepath.Join(dir, "evil.jsonl")
	os.WriteFile(file, []byte(evil+"\n"), 0o600)
	if r := cxtop(t, nil, "import", "--db", db, file); r.code != 0 {
		t.Fatalf("import of hostile free text: %+v", r)
	}
	for _, args := range [][]string{{"tickets", "--limit", "5000"}, {"tickets", "--status", "done", "--limit", "5000"}, {"alerts", "--all"}, {"kpi", "--by", "segment"}, {"ab"}, {"nps-revenue"}} {
		r := cxtop(t, nil, append(args, "--db", db, "--at", simEnd)...)
		if args[0] == "tickets" {
			r = cxtop(t, nil, append(args, "--db", db)...)
		}
		wantNoTerminalControl(t, strings.Join(args, " "), r.out+r.errOut)
		if args[0] == "tickets" && len(args) > 3 && !strings.Contains(r.out, "gnp.exe") {
			t.Fatalf("the hostile subject is not listed, so the test proves nothing: %s", r.out)
		}
	}
}

func TestHostileIdentifiersAreRefusedOnImport(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	line := strings.SplitN(cxtop(t, nil, "export", "--db", db).out, "\n", 2)[0]
	for _, tc := range []struct{ field, value string }{
		{`"id":"`, `\u001b]52;c;aGk=\u0007`},
		{`"segment":"`, `\u202e`},
		{`"customer_id":"`, `\u200b`},
	} {
		evil := strings.Replace(line, tc.field, tc.field+tc.value, 1)
		file := filepath.Join(t.TempDir(), "evil.jsonl")
		os.WriteFile(file, []byte(evil+"\n"), 0o600)
		r := cxtop(t, nil, "import", "--db", db, file)
		wantOneLineError(t, r, 1, "line 1: ticket ")
		wantNoTerminalControl(t, "the import error", r.errOut)
	}
}

// jsonEscape writes s as the inside of a JSON string.
func jsonEscape(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
