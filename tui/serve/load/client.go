package load

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

// The child process: the caller's binary started again with ClientEnv set
// (to the server's address), which calls ClientMain first thing.
const (
	ClientEnv   = "CXTOP_LOAD_CLIENT"
	sessEnv     = "CXTOP_LOAD_SESSIONS"
	sizeEnv     = "CXTOP_LOAD_SIZE"     // WIDTHxHEIGHT
	keyEnv      = "CXTOP_LOAD_KEY"      // the client's private key file
	hostKeyEnv  = "CXTOP_LOAD_HOST_KEY" // the server's public key, authorized_keys format
	markerStart = "LT"                  // the id of every ticket the run commits starts so
	markerLen   = 9                     // LT and seven digits
)

// IsClient reports whether this process was started as the load's
// clients: main (or TestMain) then calls ClientMain and exits with its
// status.
func IsClient() bool { return os.Getenv(ClientEnv) != "" }

// ClientMain opens the sessions, says "ready" on stdout once every one
// drew its queue, then reports "seen ID SESSION UNIXNANO" the first time
// a marker id reaches a session's terminal, until stdin closes.
func ClientMain() int {
	if err := runClients(); err != nil {
		fmt.Fprintln(os.Stderr, "load client:", err)
		return 1
	}
	return 0
}

func runClients() error {
	n, err := strconv.Atoi(os.Getenv(sessEnv))
	if err != nil || n < 1 {
		return fmt.Errorf("bad %s %q", sessEnv, os.Getenv(sessEnv))
	}
	var w, h int
	if _, err := fmt.Sscanf(os.Getenv(sizeEnv), "%dx%d", &w, &h); err != nil {
		return fmt.Errorf("bad %s %q", sizeEnv, os.Getenv(sizeEnv))
	}
	keyPEM, err := os.ReadFile(os.Getenv(keyEnv))
	if err != nil {
		return err
	}
	key, err := gossh.ParsePrivateKey(keyPEM)
	if err != nil {
		return err
	}
	hostKey, _, _, _, err := gossh.ParseAuthorizedKey([]byte(os.Getenv(hostKeyEnv)))
	if err != nil {
		return fmt.Errorf("host key: %w", err)
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
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	for i := 0; i < n; i++ {
		conn, err := gossh.Dial("tcp", os.Getenv(ClientEnv), cfg)
		if err != nil {
			return fmt.Errorf("dial: %w", err)
		}
		closers = append(closers, conn)
		sess, err := conn.NewSession()
		if err != nil {
			return fmt.Errorf("session: %w", err)
		}
		stdout, err := sess.StdoutPipe()
		if err != nil {
			return err
		}
		if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
			return fmt.Errorf("pty: %w", err)
		}
		if err := sess.Shell(); err != nil {
			return fmt.Errorf("shell: %w", err)
		}
		ready.Add(1)
		go watchSession(i, stdout, ready.Done, report)
	}
	ready.Wait()
	report("ready")
	io.Copy(io.Discard, os.Stdin) // until the run is done
	return nil
}

// watchSession reads one session's terminal: done once it drew the queue,
// then a report for every marker id that appears in it.
func watchSession(i int, r io.Reader, done func(), report func(string, ...any)) {
	buf := make([]byte, 32<<10)
	var tail []byte // the end of the previous read: an id may straddle two
	drawn := false
	// Each id once: the parent that reads the reports is the server
	// being measured.
	seen := map[string]bool{}
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
				j := bytes.Index(rest, []byte(markerStart))
				if j < 0 || j+markerLen > len(rest) {
					break
				}
				if id := rest[j : j+markerLen]; allDigits(id[len(markerStart):]) && !seen[string(id)] {
					seen[string(id)] = true
					report("seen %s %d %d", id, i, at)
				}
				rest = rest[j+markerLen:]
			}
			tail = append([]byte(nil), chunk[max(len(chunk)-markerLen, 0):]...)
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
