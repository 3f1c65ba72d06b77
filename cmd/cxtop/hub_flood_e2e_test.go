package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// heldGet opens a connection to addr from local, asks path and keeps the
// connection open; it gives the answer's status, or 0 when the hub closed
// the connection instead of answering.
func heldGet(t *testing.T, local, addr, path, token string) int {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 30 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial from %s: %v", local, err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer %s\r\n\r\n", path, token); err != nil {
		return 0
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// TestHubUnderHostileClients runs the real hub with its token in a file,
// while one address holds as many connections as it can and another
// guesses tokens: the hub holds only the flooding address's share, refuses
// the guesser alone, and a legitimate `cxtop sync --once` from a third
// address copies the whole store.
func TestHubUnderHostileClients(t *testing.T) {
	dir := t.TempDir()
	hubDB, localDB := filepath.Join(dir, "hub.db"), filepath.Join(dir, "local.db")
	if r := cxtop(t, nil, "simulate", "--db", hubDB, "--days", "2", "--end", simEnd); r.code != 0 {
		t.Fatal(r.errOut)
	}
	tokFile := filepath.Join(dir, "hub.token")
	os.WriteFile(tokFile, []byte("console-1 right-token\n"), 0o600)
	url, stop := startHub(t, hubDB, "--token-file", tokFile)
	addr := strings.TrimPrefix(url, "http://")

	held := 0
	for i := 0; i < 3*64; i++ {
		if heldGet(t, "127.0.0.2", addr, "/healthz", "") == 200 {
			held++
		}
	}
	if held != 64 {
		t.Fatalf("one address held %d connections, want its share of 64", held)
	}
	guesses := map[int]int{}
	for i := 0; i < 30; i++ {
		guesses[heldGet(t, "127.0.0.3", addr, "/v1/changes", fmt.Sprintf("guess-%d", i))]++
	}
	if guesses[401] == 0 || guesses[429] == 0 || guesses[200] != 0 {
		t.Fatalf("the guesser's answers: %v, want 401s, then 429s", guesses)
	}
	localTok := filepath.Join(dir, "local.token")
	os.WriteFile(localTok, []byte("right-token\n"), 0o600)
	r := cxtop(t, nil, "sync", "--db", localDB, "--remote", url, "--token-file", localTok, "--once", "--retries", "0")
	if r.code != 0 || !strings.Contains(r.errOut, "caught up") {
		t.Fatalf("the legitimate sync during the flood: %+v", r)
	}
	stop()
	sameExports(t, hubDB, localDB)
}
