package serve

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// The load benchmark's SSH clients run in a child process (this test
// binary again, with loadClientEnv set), so the CPU and heap the benchmark
// measures are the server's alone.
const (
	loadClientEnv = "CXTOP_LOAD_CLIENT" // the server's address
	loadSessEnv   = "CXTOP_LOAD_SESSIONS"
	loadKeyEnv    = "CXTOP_LOAD_KEY"      // the client's private key file
	loadHostEnv   = "CXTOP_LOAD_HOST_KEY" // the server's public key, authorized_keys format
	// loadMarker starts the id of every ticket the benchmark commits.
	loadMarker = "LT"
	// loadMarkerLen is the length of such an id: LT and seven digits.
	loadMarkerLen = 9
)

// runLoadClients opens the sessions, says "ready" on stdout once every one
// drew its queue, then reports "seen ID SESSION UNIXNANO" for each marker
// id a session's terminal shows, until stdin closes.
func runLoadClients() int {
	n, err := strconv.Atoi(os.Getenv(loadSessEnv))
	if err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "load client: bad", loadSessEnv)
		return 2
	}
	keyPEM, err := os.ReadFile(os.Getenv(loadKeyEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, "load client:", err)
		return 2
	}
	key, err := gossh.ParsePrivateKey(keyPEM)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load client:", err)
		return 2
	}
	hostKey, _, _, _, err := gossh.ParseAuthorizedKey([]byte(os.Getenv(loadHostEnv)))
	if err != nil {
		fmt.Fprintln(os.Stderr, "load client: host key:", err)
		return 2
	}
	cfg := &gossh.ClientConfig{User: "load", Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.FixedHostKey(hostKey), Timeout: 30 * time.Second}
	out := bufio.NewWriter(os.Stdout)
	var outMu sync.Mutex
	report := func(format string, args ...any) {
		outMu.Lock()
		fmt.Fprintf(out, format+"\n", args...)
		out.Flush()
		outMu.Unlock()
	}
	var ready sync.WaitGroup
	var closers []io.Closer
	for i := 0; i < n; i++ {
		conn, err := gossh.Dial("tcp", os.Getenv(loadClientEnv), cfg)
		if err != nil {
			fmt.Fprintln(os.Stderr, "load client: dial:", err)
			return 1
		}
		closers = append(closers, conn)
		sess, err := conn.NewSession()
		if err != nil {
			fmt.Fprintln(os.Stderr, "load client: session:", err)
			return 1
		}
		stdout, err := sess.StdoutPipe()
		if err != nil {
			fmt.Fprintln(os.Stderr, "load client:", err)
			return 1
		}
		if err := sess.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{}); err != nil {
			fmt.Fprintln(os.Stderr, "load client: pty:", err)
			return 1
		}
		if err := sess.Shell(); err != nil {
			fmt.Fprintln(os.Stderr, "load client: shell:", err)
			return 1
		}
		ready.Add(1)
		go watchSession(i, stdout, ready.Done, report)
	}
	ready.Wait()
	report("ready")
	io.Copy(io.Discard, os.Stdin) // until the benchmark is done
	for _, c := range closers {
		c.Close()
	}
	return 0
}

// watchSession reads one session's terminal: done once it drew the queue,
// then a report for every marker id that appears in it.
func watchSession(i int, r io.Reader, done func(), report func(string, ...any)) {
	buf := make([]byte, 32<<10)
	var tail []byte // the end of the previous read: an id may straddle two
	drawn := false
	for {
		n, err := r.Read(buf)
		if n > 0 {
			at := time.Now().UnixNano()
			chunk := append(tail, buf[:n]...)
			if !drawn && bytes.Contains(chunk, []byte("Queue: ")) {
				drawn = true
				done()
			}
			for rest := chunk; ; {
				j := bytes.Index(rest, []byte(loadMarker))
				if j < 0 || j+loadMarkerLen > len(rest) {
					break
				}
				if id := rest[j : j+loadMarkerLen]; allDigits(id[len(loadMarker):]) {
					report("seen %s %d %d", id, i, at)
				}
				rest = rest[j+loadMarkerLen:]
			}
			tail = append([]byte(nil), chunk[max(len(chunk)-loadMarkerLen, 0):]...)
		}
		if err != nil {
			if !drawn {
				done()
			}
			return
		}
	}
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}
