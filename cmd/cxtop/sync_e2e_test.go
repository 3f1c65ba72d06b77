package main

import (
	"bufio"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cleanEnv is the environment the real binary runs with in these tests.
func cleanEnv(t *testing.T) []string {
	home := t.TempDir()
	return []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "XDG_DATA_HOME=" + filepath.Join(home, "data"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "XDG_STATE_HOME=" + filepath.Join(home, "state")}
}

// startListening starts the real binary with args and waits for its
// start-up line on stderr, which must contain marker (where it listens);
// it returns the process, that line and the rest of stderr.
func startListening(t *testing.T, marker string, args ...string) (*exec.Cmd, string, *bufio.Reader) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = cleanEnv(t)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	rd := bufio.NewReader(stderr)
	line, err := rd.ReadString('\n')
	if err != nil || !strings.Contains(line, marker) {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("cxtop %s did not start: %q %v", args[0], line, err)
	}
	return cmd, line, rd
}

// startHub runs the real 'cxtop hub' on a free loopback port and returns
// its URL and a stop function that shuts it down with SIGTERM and checks
// it exits cleanly.
func startHub(t *testing.T, db string, args ...string) (url string, stop func()) {
	t.Helper()
	cmd, line, stderr := startListening(t, " on ", append([]string{"hub", "--db", db, "--listen", "127.0.0.1:0"}, args...)...)
	_, rest, _ := strings.Cut(line, " on ")
	url = strings.Fields(rest)[0]
	go io.Copy(io.Discard, stderr)
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Errorf("hub did not stop cleanly on SIGTERM: %v", err)
		}
	}
	t.Cleanup(stop)
	return url, stop
}

// exportSet is a store's export as sorted lines.
func exportSet(t *testing.T, db string) []string {
	t.Helper()
	r := cxtop(t, nil, "export", "--db", db)
	if r.code != 0 {
		t.Fatalf("export %s: %s", db, r.errOut)
	}
	lines := strings.Split(strings.TrimSpace(r.out), "\n")
	slices.Sort(lines)
	return lines
}

func sameExports(t *testing.T, hubDB, localDB string) int {
	t.Helper()
	want, got := exportSet(t, hubDB), exportSet(t, localDB)
	if len(want) != len(got) {
		t.Fatalf("hub has %d records, the synced store %d", len(want), len(got))
	}
	for i := range want {
		if want[i] != got[i] {
			t.Fatalf("records differ:\nhub   %s\nlocal %s", want[i], got[i])
		}
	}
	if r := cxtop(t, nil, "check", "--db", localDB); r.code != 0 {
		t.Fatalf("check of the synced store: %s%s", r.out, r.errOut)
	}
	return len(want)
}

func TestSyncOnceCopiesAHundredThousandRecords(t *testing.T) {
	dir := t.TempDir()
	hubDB, localDB := filepath.Join(dir, "hub.db"), filepath.Join(dir, "local.db")
	if r := cxtop(t, nil, "simulate", "--db", hubDB, "--days", "56", "--end", simEnd, "--seed", "3"); r.code != 0 {
		t.Fatalf("simulate: %s", r.errOut)
	}
	url, stop := startHub(t, hubDB, "--token", "s3cret")
	r := cxtop(t, nil, "sync", "--db", localDB, "--remote", url, "--token", "s3cret", "--once")
	if r.code != 0 || !strings.Contains(r.errOut, "caught up") || strings.Contains(r.errOut, "s3cret") {
		t.Fatalf("sync --once: %+v", r)
	}
	stop() // the hub holds its store: stop it to export it
	if n := sameExports(t, hubDB, localDB); n < 100_000 {
		t.Fatalf("only %d records: the acceptance test wants ≥ 100,000", n)
	}
}

// TestSyncSurvivesKillNine kills the real sync process with SIGKILL at 20
// seeded random instants (after a random number of committed pages, plus a
// random fraction of a page), resumes each time, and demands the final
// store equal the hub's and pass check.
func TestSyncSurvivesKillNine(t *testing.T) {
	dir := t.TempDir()
	hubDB, localDB := filepath.Join(dir, "hub.db"), filepath.Join(dir, "local.db")
	if r := cxtop(t, nil, "simulate", "--db", hubDB, "--days", "12", "--end", simEnd, "--seed", "5"); r.code != 0 {
		t.Fatalf("simulate: %s", r.errOut)
	}
	url, stop := startHub(t, hubDB)
	rng := rand.New(rand.NewPCG(20, 26))
	kills := 0
	for i := 0; i < 20; i++ {
		cmd := exec.Command(binary, "sync", "--db", localDB, "--remote", url, "--once", "--verbose", "--page-size", "150")
		cmd.Env = cleanEnv(t)
		stderr, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stderr)
		pages, want := 0, 1+rng.IntN(6)
		for pages < want && sc.Scan() {
			if strings.Contains(sc.Text(), "page committed") {
				pages++
			}
		}
		// A random instant inside the next page's work (not a wait for
		// anything: the kill lands wherever the process happens to be).
		time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond)
		if cmd.Process.Signal(syscall.SIGKILL) == nil {
			kills++
		}
		go io.Copy(io.Discard, stderr)
		cmd.Wait()
	}
	if kills < 15 {
		t.Fatalf("only %d of 20 runs were killed: the hub store is too small for the test", kills)
	}
	if r := cxtop(t, nil, "sync", "--db", localDB, "--remote", url, "--once"); r.code != 0 {
		t.Fatalf("final sync: %+v", r)
	}
	stop()
	sameExports(t, hubDB, localDB)
}

func TestSyncCommandErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "local.db")
	wantOneLineError(t, runIn(t, "sync", "--db", db, "--once"), 2, "--remote is required")
	wantOneLineError(t, runIn(t, "sync", "--db", db, "--remote", "http://127.0.0.1:1", "--source", "freshdesk"), 2, `--source "freshdesk"`)
	wantOneLineError(t, runIn(t, "sync", "--db", db, "--remote", "http://me:pw@127.0.0.1:1"), 2, "not in the URL")
	wantOneLineError(t, runIn(t, "sync", "--db", db, "--remote", "ftp://x"), 2, "http://")
	wantOneLineError(t, runIn(t, "sync", "--db", db, "--remote", "http://127.0.0.1:1", "--page-size", "0"), 2, "--page-size")
	// Nothing listens on port 1: one clear line, after no retries.
	r := cxtop(t, nil, "sync", "--db", db, "--remote", "http://127.0.0.1:1", "--once", "--retries", "0", "--token", "hush")
	wantOneLineError(t, r, 1, "connection refused")
	if strings.Contains(r.errOut, "hush") {
		t.Fatalf("the token was printed: %s", r.errOut)
	}
	// A wrong token is not retried and says what to do.
	hubDB := filepath.Join(dir, "hub.db")
	if r := cxtop(t, nil, "simulate", "--db", hubDB, "--days", "1", "--end", simEnd); r.code != 0 {
		t.Fatal(r.errOut)
	}
	url, _ := startHub(t, hubDB, "--token", "right")
	wantOneLineError(t, cxtop(t, nil, "sync", "--db", db, "--remote", url, "--once", "--token", "wrong"), 1, "HTTP 401")
}

func TestHubCommandErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hub.db")
	wantOneLineError(t, runIn(t, "hub", "--db", db, "--rps", "-1"), 2, "--rps")
	wantOneLineError(t, runIn(t, "hub", "--db", db, "--simulate", "-5"), 2, "--simulate")
	wantOneLineError(t, runIn(t, "hub", "--db", db, "--rps", "NaN"), 2, "--rps NaN is out of range")
	wantOneLineError(t, runIn(t, "hub", "--db", db, "--simulate", "NaN"), 2, "--simulate NaN is out of range")
	wantOneLineError(t, runIn(t, "hub", "--db", db, "--listen", "0.0.0.0:7080"), 2, "pass --insecure-no-token")
	wantOneLineError(t, runIn(t, "hub", "--db", db, "--token", "a", "--token-file", "f"), 2, "exclude each other")
	if _, err := os.Stat(db); err == nil {
		t.Fatal("a refused hub command created its store")
	}
	wantOneLineError(t, runIn(t, "hub", "--db", db, "--listen", "256.0.0.1:99999", "--insecure-no-token"), 1, "listen")
}

// TestSyncTokenFromEnvironmentAndConfig: the token may come from
// CXTOP_TOKEN or the [sync] section of the config, and is never printed.
func TestSyncTokenFromEnvironmentAndConfig(t *testing.T) {
	dir := t.TempDir()
	hubDB := filepath.Join(dir, "hub.db")
	if r := cxtop(t, nil, "simulate", "--db", hubDB, "--days", "1", "--end", simEnd); r.code != 0 {
		t.Fatal(r.errOut)
	}
	url, _ := startHub(t, hubDB, "--token", "tok-from-somewhere")

	cmd := exec.Command(binary, "sync", "--db", filepath.Join(dir, "a.db"), "--remote", url, "--once")
	cmd.Env = append(cleanEnv(t), "CXTOP_TOKEN=tok-from-somewhere")
	out, err := cmd.CombinedOutput()
	if err != nil || strings.Contains(string(out), "tok-from") {
		t.Fatalf("CXTOP_TOKEN: %v %s", err, out)
	}

	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("[sync]\nremote = \""+url+"\"\ntoken = \"tok-from-somewhere\"\n"), 0o600)
	r := cxtop(t, nil, "sync", "--db", filepath.Join(dir, "b.db"), "--config", cfg, "--once")
	if r.code != 0 || strings.Contains(r.errOut, "tok-from") {
		t.Fatalf("config token: %+v", r)
	}

	// From a private file, so that ps does not show it: a flag, or the
	// config's token_file.
	tokFile := filepath.Join(dir, "token")
	os.WriteFile(tokFile, []byte("tok-from-somewhere\n"), 0o600)
	r = cxtop(t, nil, "sync", "--db", filepath.Join(dir, "c.db"), "--remote", url, "--token-file", tokFile, "--once")
	if r.code != 0 || strings.Contains(r.errOut, "tok-from") {
		t.Fatalf("--token-file: %+v", r)
	}
	os.WriteFile(cfg, []byte("[sync]\nremote = \""+url+"\"\ntoken_file = \""+tokFile+"\"\n"), 0o600)
	r = cxtop(t, nil, "sync", "--db", filepath.Join(dir, "d.db"), "--config", cfg, "--once")
	if r.code != 0 || strings.Contains(r.errOut, "tok-from") {
		t.Fatalf("sync.token_file: %+v", r)
	}
	// The file's token is the one sent: a wrong one is refused.
	os.WriteFile(tokFile, []byte("wrong\n"), 0o600)
	wantOneLineError(t, cxtop(t, nil, "sync", "--db", filepath.Join(dir, "e.db"), "--remote", url, "--token-file", tokFile, "--once", "--retries", "0"), 1, "HTTP 401")
}

// TestRetryQuarantineNeedsNoToken: re-mapping the quarantine reads no
// network, so a [sync] token_file that cannot be read does not stop it,
// while a sync, which would send the token, says what is wrong.
func TestRetryQuarantineNeedsNoToken(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cx.db")
	if r := cxtop(t, nil, "simulate", "--db", db, "--days", "1", "--end", simEnd); r.code != 0 {
		t.Fatal(r.errOut)
	}
	cfg := filepath.Join(dir, "config.toml")
	missing := filepath.Join(dir, "no-such-token")
	os.WriteFile(cfg, []byte("[sync]\nremote = \"http://127.0.0.1:9\"\ntoken_file = \""+missing+"\"\n"), 0o600)
	r := cxtop(t, nil, "sync", "retry-quarantine", "--db", db, "--config", cfg)
	if r.code != 0 || !strings.Contains(r.out, "0 applied, 0 still quarantined") {
		t.Fatalf("retry-quarantine with an unreadable token_file: %+v", r)
	}
	wantOneLineError(t, cxtop(t, nil, "sync", "--db", db, "--config", cfg, "--once"), 1, "sync.token_file")
}
