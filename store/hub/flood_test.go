package hub

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// do sends one request to the hub's handler as if from addr.
func do(h http.Handler, addr, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", "/v1/changes", nil)
	req.RemoteAddr = addr
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// tokenHub is a hub's handler wanting the token "right", on the clock *now.
func tokenHub(t *testing.T, now *time.Time) http.Handler {
	t.Helper()
	st, _ := newHub(t, 1, Options{})
	s, err := New(st, Options{Token: "right", Now: func() time.Time { return *now }})
	if err != nil {
		t.Fatal(err)
	}
	return s.Handler()
}

// One address guessing tokens is refused by itself; a client at another
// address is not, and an IPv6 host's guesses count as one address
// whichever address of its /64 it sends them from.
func TestOneAddressCannotLockOutAnother(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h := tokenHub(t, &now)
	for i := 0; i < 50; i++ {
		do(h, "198.51.100.66:4000", "wrong")
	}
	if w := do(h, "198.51.100.66:4001", "wrong"); w.Code != 429 {
		t.Fatalf("the guessing address: %d, want 429", w.Code)
	}
	if w := do(h, "198.51.100.7:5000", "right"); w.Code != 200 {
		t.Fatalf("another client was locked out: %d %s", w.Code, w.Body)
	}
	if w := do(h, "198.51.100.8:5000", "wrong"); w.Code != 401 {
		t.Fatalf("another address's first mistake: %d, want 401", w.Code)
	}
	// IPv6: a new address of the same /64 per guess is still one address.
	for i := 1; i <= failBurst; i++ {
		if w := do(h, fmt.Sprintf("[2001:db8:1:2::%x]:443", i), "wrong"); w.Code != 401 {
			t.Fatalf("guess %d: %d", i, w.Code)
		}
	}
	if w := do(h, "[2001:db8:1:2:ffff::1]:443", "wrong"); w.Code != 429 {
		t.Fatalf("a fresh address in the same /64: %d, want 429", w.Code)
	}
	if w := do(h, "[2001:db8:1:3::1]:443", "right"); w.Code != 200 {
		t.Fatalf("the next /64: %d", w.Code)
	}
}

// Guesses spread over many addresses meet a ceiling over all of them;
// while it is spent, a client that authenticated before is still served,
// and an address never seen must wait.
func TestFailureCeilingSparesKnownClients(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h := tokenHub(t, &now)
	if w := do(h, "192.0.2.10:1000", "right"); w.Code != 200 {
		t.Fatalf("the console: %d", w.Code)
	}
	refused := 0
	for i := 0; i < 1000; i++ {
		// one guess from each of a thousand addresses
		switch w := do(h, fmt.Sprintf("10.%d.%d.1:80", i/250, i%250), "wrong"); w.Code {
		case 401:
		case 429:
			refused++
		default:
			t.Fatalf("guess %d: %d", i, w.Code)
		}
	}
	if tried := 1000 - refused; tried != failAllBurst {
		t.Fatalf("%d guesses were checked over all addresses, want the ceiling's %d", tried, failAllBurst)
	}
	w := do(h, "203.0.113.9:80", "right")
	if w.Code != 429 || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), "unknown addresses") {
		t.Fatalf("a new address while the ceiling is spent: %d %s", w.Code, w.Body)
	}
	if w := do(h, "192.0.2.10:1001", "right"); w.Code != 200 {
		t.Fatalf("the console that authenticated before was locked out: %d %s", w.Code, w.Body)
	}
	now = now.Add(time.Second)
	if w := do(h, "203.0.113.9:80", "right"); w.Code != 200 {
		t.Fatalf("a new address once the ceiling refilled: %d", w.Code)
	}
}

// keptConn is a client connection kept alive between requests.
type keptConn struct {
	net.Conn
	r *bufio.Reader
}

// dialFrom connects to addr from the local address local.
func dialFrom(t *testing.T, local, addr string) *keptConn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 30 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial from %s: %v", local, err)
	}
	t.Cleanup(func() { c.Close() })
	return &keptConn{Conn: c, r: bufio.NewReader(c)}
}

// get asks path on the connection and reads the whole answer, so the
// connection stays open for the next; 0 when the hub closed it instead.
func (c *keptConn) get(path, token string) int {
	c.SetDeadline(time.Now().Add(30 * time.Second))
	auth := ""
	if token != "" {
		auth = "Authorization: Bearer " + token + "\r\n"
	}
	if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: hub\r\n%s\r\n", path, auth); err != nil {
		return 0
	}
	resp, err := http.ReadResponse(c.r, nil)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0
	}
	return resp.StatusCode
}

// flood opens n connections from local, one after the other, each asking
// /healthz and then kept open; it says how many were answered.
func flood(t *testing.T, local, addr string, n int) int {
	answered := 0
	for i := 0; i < n; i++ {
		if dialFrom(t, local, addr).get("/healthz", "") == 200 {
			answered++
		}
	}
	return answered
}

// A flood of connections kept alive from one address holds at most its
// share; every further one is closed at accept, and a client at another
// address is served throughout. Over all addresses, the total holds.
func TestConnectionFloodIsBounded(t *testing.T) {
	st, _ := newHub(t, 3, Options{})
	s, err := New(st, Options{Token: "right"})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, ln, s.Handler(), ConnLimits{Total: 12, PerAddr: 5})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	addr := ln.Addr().String()
	if n := flood(t, "127.0.0.2", addr, 40); n != 5 {
		t.Fatalf("one address held %d connections, want its share of 5", n)
	}
	legit := dialFrom(t, "127.0.0.1", addr)
	if code := legit.get("/v1/changes?limit=2", "right"); code != 200 {
		t.Fatalf("the legitimate client during the flood: %d", code)
	}
	// A second flooding address takes its share; the total (12) leaves
	// the legitimate client's connection and one more.
	if n := flood(t, "127.0.0.3", addr, 40); n != 5 {
		t.Fatalf("the second address held %d connections, want 5", n)
	}
	if code := legit.get("/v1/changes?limit=2", "right"); code != 200 {
		t.Fatalf("the legitimate client's kept-alive connection: %d", code)
	}
	if n := flood(t, "127.0.0.4", addr, 10); n != 1 {
		t.Fatalf("a third address got %d connections past the total of 12, want the 1 left", n)
	}
}
