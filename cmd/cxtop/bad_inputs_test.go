package main

import (
	"bytes"
	"crypto/sha256"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBadInputs runs the real binary over hostile and broken inputs. For
// each: a non-zero exit, one clear line that names the problem, no trace,
// nothing a terminal would act on, and the store byte for byte as it was.
func TestBadInputs(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	exported := cxtop(t, nil, "export", "--db", db).out
	ticket, feedback := strings.SplitN(exported, "\n", 2)[0], ""
	for _, l := range strings.Split(exported, "\n") {
		if strings.Contains(l, `"kind":"feedback"`) {
			feedback = l
			break
		}
	}
	if !strings.Contains(feedback, `"channel":`) {
		feedback = strings.Replace(feedback, `"kind":"feedback"`, `"kind":"feedback","channel":"email"`, 1)
	}
	event := `{"kind":"event","id":"EBAD","type":"purchase","at":"2026-10-30T00:00:00Z","customer_id":"C1","segment":"vip","amount":AMOUNT,"digital":true}`
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o600)
		return p
	}
	keyLine := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl x"
	longHistory := strings.Replace(ticket, `"history":[`, `"history":[`+strings.Repeat(`{"at":"2026-10-30T00:00:00Z","by":"x","field":"note","old":"","new":"n"},`, 1001), 1)
	remote := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte("{\"error\":\"\x1b]0;pwned\x07\x1b[2Jbad \u202eevil\"}"))
	}))
	defer remote.Close()

	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		code  int
		want  string
	}{
		{"import not json", []string{"import", file("a.jsonl", "nope\n")}, "", 1, "line 1: not a JSON object"},
		{"import unknown key", []string{"import", file("b.jsonl", strings.Replace(ticket, `"kind":"ticket"`, `"kind":"ticket","x":1`, 1)+"\n")}, "", 1, `line 1: unknown key "x"`},
		{"import invalid utf-8", []string{"import", file("c.jsonl", ticket+"\n"+strings.Replace(ticket, `"T`, "\"T\xff", 1)+"\n")}, "", 1, "line 2: invalid UTF-8 at byte"},
		{"import lone surrogate", []string{"import", file("d.jsonl", strings.Replace(ticket, `"T`, `"T\udc00`, 1)+"\n")}, "", 1, "line 1: unpaired surrogate"},
		{"import escape in id", []string{"import", file("e.jsonl", strings.Replace(ticket, `"id":"`, `"id":"\u001b[2J`, 1)+"\n")}, "", 1, "line 1: ticket"},
		{"import bidi in segment", []string{"import", file("f.jsonl", strings.Replace(ticket, `"segment":"`, `"segment":"\u202e`, 1)+"\n")}, "", 1, "segment: contains the invisible or bidi character U+202E"},
		{"import long subject", []string{"import", file("g.jsonl", strings.Replace(ticket, `"subject":"`, `"subject":"`+strings.Repeat("x", 2000), 1)+"\n")}, "", 1, "subject: is "},
		{"import long history", []string{"import", file("h.jsonl", longHistory+"\n")}, "", 1, "history: has "},
		{"import huge amount", []string{"import", file("i.jsonl", strings.Replace(event, "AMOUNT", "9223372036854775807", 1)+"\n")}, "", 1, "amount: 9223372036854775807 is over the largest purchase"},
		{"import negative amount", []string{"import", file("j.jsonl", strings.Replace(event, "AMOUNT", "-5", 1)+"\n")}, "", 1, "amount: -5 is negative"},
		{"import unknown channel", []string{"import", file("k.jsonl", regexp.MustCompile(`"channel":"[^"]*"`).ReplaceAllString(feedback, `"channel":"pigeon"`)+"\n")}, "", 1, `unknown channel "pigeon"`},
		{"import truncated line", []string{"import", file("l.jsonl", ticket[:len(ticket)/2]+"\n")}, "", 1, "line 1: truncated JSON object"},
		{"import two objects", []string{"import", file("m.jsonl", ticket+ticket+"\n")}, "", 1, "line 1: more than one JSON value"},
		{"import stdin bad", []string{"import", "-"}, ticket + "\n{\n", 1, "line 2: truncated JSON object"},
		{"import directory", []string{"import", dir}, "", 1, "is a directory"},
		{"import missing", []string{"import", filepath.Join(dir, "none.jsonl")}, "", 1, "no such file"},
		{"tickets limit", []string{"tickets", "--limit", "0"}, "", 2, "--limit 0 is out of range"},
		{"tickets status", []string{"tickets", "--status", "\x1b[31mred"}, "", 2, "--status"},
		{"kpi window", []string{"kpi", "--window", "forever"}, "", 2, "forever"},
		{"hub rps nan", []string{"hub", "--rps", "NaN"}, "", 2, "--rps NaN is out of range"},
		{"hub simulate nan", []string{"hub", "--simulate", "NaN"}, "", 2, "--simulate NaN is out of range"},
		{"hub max conns", []string{"hub", "--max-conns", "0"}, "", 2, "--max-conns 0 is out of range"},
		{"hub open listen", []string{"hub", "--listen", "0.0.0.0:0"}, "", 2, "pass --insecure-no-token"},
		{"hub two tokens", []string{"hub", "--token", "a", "--token-file", "b"}, "", 2, "exclude each other"},
		{"hub token file missing", []string{"hub", "--token-file", filepath.Join(dir, "none")}, "", 1, "no such file"},
		{"hub token file loose", []string{"hub", "--token-file", looseFile(t, dir)}, "", 1, "readable by others"},
		{"sync token and token file", []string{"sync", "--remote", remote.URL, "--token", "a", "--token-file", file("tok", "a\n")}, "", 2, "--token and --token-file exclude each other"},
		{"sync token file missing", []string{"sync", "--remote", remote.URL, "--token-file", filepath.Join(dir, "none")}, "", 1, "--token-file " + filepath.Join(dir, "none") + ": no such file"},
		{"sync token file loose", []string{"sync", "--remote", remote.URL, "--token-file", looseFile(t, dir)}, "", 1, "is readable by others (mode 0644): chmod 600 it"},
		{"sync token file empty", []string{"sync", "--remote", remote.URL, "--token-file", file("empty-tok", "\n")}, "", 1, "is empty"},
		{"sync token file two lines", []string{"sync", "--remote", remote.URL, "--token-file", file("two-tok", "a\nb\n")}, "", 1, "holds several lines"},
		{"sync config token file loose", []string{"sync", "--remote", remote.URL, "--config", file("tf.toml", "[sync]\ntoken_file = \""+looseFile(t, dir)+"\"\n")}, "", 1, "sync.token_file " + filepath.Join(dir, "loose-token") + " is readable by others"},
		{"hub remote token file loose", []string{"hub", "--source", "zendesk", "--remote", remote.URL, "--remote-token-file", looseFile(t, dir)}, "", 1, "--remote-token-file " + filepath.Join(dir, "loose-token") + " is readable by others"},
		{"serve token file without remote", []string{"serve", "--token-file", file("tok2", "a\n")}, "", 2, "need --remote"},
		{"serve any key open", []string{"serve", "--listen", ":0"}, "", 2, "--allow-any-key"},
		{"serve forced command", []string{"serve", "--authorized-keys", file("ak1", `command="sh" `+keyLine+"\n"), "--host-key", filepath.Join(dir, "hk")}, "", 1, "line 1: option command"},
		{"serve cert authority", []string{"serve", "--authorized-keys", file("ak2", "cert-authority "+keyLine+"\n"), "--host-key", filepath.Join(dir, "hk")}, "", 1, "does not accept certificates"},
		{"serve from host name", []string{"serve", "--authorized-keys", file("ak3", `from="*.example.net" `+keyLine+"\n"), "--host-key", filepath.Join(dir, "hk")}, "", 1, "is a host name"},
		{"serve sessions", []string{"serve", "--max-sessions", "0"}, "", 2, "--max-sessions 0 is out of range"},
		{"demo rate nan", []string{"demo", "--rate", "NaN"}, "", 2, "--rate NaN is out of range"},
		{"config negative sla", []string{"tickets", "--config", file("neg.toml", "[taxonomy.sla]\nurgent = \"-4h\"\n")}, "", 1, "use a duration from 1m to 365d"},
		{"config unknown key", []string{"tickets", "--config", file("bad.toml", "[serve]\ncolour = 1\n")}, "", 1, "unknown key"},
		{"sync hostile error body", []string{"sync", "--remote", remote.URL, "--once", "--retries", "0"}, "", 1, "HTTP 400"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := cxtop(t, []byte(tc.stdin), append(tc.args, "--db", db)...)
			wantOneLineError(t, r, tc.code, tc.want)
			wantNoTerminalControl(t, "the error line", r.errOut)
			if after := cxtop(t, nil, "export", "--db", db).out; after != exported {
				t.Fatal("the store's records changed")
			}
		})
	}
}

// Files that are not stores, or stores that are damaged, are refused by
// every command with one line, never a crash (a truncated store used to
// raise SIGBUS), and are left as they were.
func TestDamagedStores(t *testing.T) {
	dir := t.TempDir()
	db := simulated(t, dir)
	data, _ := os.ReadFile(db)
	truncated := filepath.Join(dir, "truncated.db")
	// A quarter: bbolt grows a file ahead of its pages and never shrinks
	// it, and a store built by a bulk load (simulate into an empty store)
	// uses well under half of its file, so its first half is a whole store.
	os.WriteFile(truncated, data[:len(data)/4], 0o600)
	// a record whose stored value is damaged in place: same length, so
	// bbolt itself finds nothing wrong. A ticket's value is its format
	// byte (0x01), then its id as a literal (length 9, written 18).
	i := bytes.Index(data, []byte("\x01\x12T00000001"))
	if i < 0 {
		t.Fatal("no stored ticket T00000001 in the simulated store")
	}
	damaged := filepath.Join(dir, "damaged.db")
	bad := append([]byte(nil), data...)
	bad[i] = 0x7f
	os.WriteFile(damaged, bad, 0o600)
	for _, tc := range []struct {
		path string
		args []string
		want string
	}{
		{truncated, []string{"tickets"}, "is truncated"},
		{truncated, []string{"export"}, "is truncated"},
		{truncated, []string{"kpi"}, "is truncated"},
		{truncated, []string{"import", "-"}, "is truncated"},
		{damaged, []string{"export"}, "unknown record format 0x7f"},
	} {
		t.Run(filepath.Base(tc.path)+"/"+tc.args[0], func(t *testing.T) {
			before := fileSum(t, tc.path)
			r := cxtop(t, nil, append(tc.args, "--db", tc.path)...)
			wantOneLineError(t, r, 1, tc.want)
			if fileSum(t, tc.path) != before {
				t.Fatal("the damaged file was modified")
			}
		})
	}
}

// With no home directory the default store path would be relative to the
// working directory: commands say so instead.
func TestNoHomeIsAClearError(t *testing.T) {
	work := t.TempDir()
	cmd := exec.Command(binary, "tickets")
	cmd.Dir, cmd.Env = work, []string{"PATH=" + os.Getenv("PATH")}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	wantOneLineError(t, result{code, out.String(), errOut.String()}, 1, "no home directory (HOME is not set)")
	if entries, _ := os.ReadDir(work); len(entries) != 0 {
		t.Fatalf("a command without HOME wrote into the working directory: %v", entries)
	}
}

// A store another user can read gets a warning on stderr.
func TestLooseStoreGetsAWarning(t *testing.T) {
	db := simulated(t, t.TempDir())
	os.Chmod(db, 0o644)
	r := cxtop(t, nil, "tickets", "--db", db, "--limit", "1")
	if r.code != 0 || !strings.Contains(r.errOut, "readable by other users") {
		t.Fatalf("%+v", r)
	}
}

func looseFile(t *testing.T, dir string) string {
	p := filepath.Join(dir, "loose-token")
	os.WriteFile(p, []byte("s3cret\n"), 0o644)
	os.Chmod(p, 0o644)
	return p
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		return [32]byte{}
	}
	return sha256.Sum256(data)
}
