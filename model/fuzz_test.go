package model

import (
	"bytes"
	"testing"
)

// FuzzParseRecord: an import line is a record or an error, never a panic;
// a record that passes the checks writes back as a line that parses to the
// same bytes (export → import → export is byte-identical).
func FuzzParseRecord(f *testing.F) {
	for _, s := range []string{
		`{"kind":"event","id":"E1","type":"digital_login","at":"2026-01-01T00:00:00Z"}`,
		`{"kind":"feedback","id":"F1","survey":"nps","score":3,"at":"2026-01-01T00:00:00Z","customer_id":"C1"}`,
		`{"kind":"ticket","id":"T1","status":"new","type":"complaint","source":"email","priority":"high","created_at":"2026-01-01T00:00:00Z","history":[]}`,
		`{"kind":"ticket","id":"T\ud800"}`, "{\"kind\":\"event\",\"id\":\"\xff\"}", `{"kind":`, `[]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		r, err := ParseRecord(line)
		if err != nil || CheckRecord(r) != nil {
			return
		}
		out := AppendRecord(nil, r)
		r2, err := ParseRecord(out)
		if err != nil {
			t.Fatalf("%q wrote back as %q, which does not parse: %v", line, out, err)
		}
		if again := AppendRecord(nil, r2); !bytes.Equal(again, out) {
			t.Fatalf("not stable: %q then %q", out, again)
		}
	})
}
