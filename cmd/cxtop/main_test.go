package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// binary is the real cxtop, built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cxtop-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "cxtop")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		panic("build cxtop: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	if simPath != "" {
		os.RemoveAll(filepath.Dir(simPath))
	}
	os.Exit(code)
}

// result of one command.
type result struct {
	code        int
	out, errOut string
}

// cxtop runs the real binary with a clean environment: its own HOME and
// XDG dirs, so no test reads the developer's config or store.
func cxtop(t *testing.T, stdin []byte, args ...string) result {
	t.Helper()
	return cxtopIn(t, "", stdin, args...)
}

// cxtopIn is cxtop run in the working directory wd ("" for the test's).
func cxtopIn(t *testing.T, wd string, stdin []byte, args ...string) result {
	t.Helper()
	home := t.TempDir()
	cmd := exec.Command(binary, args...)
	cmd.Dir = wd
	cmd.Env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "XDG_DATA_HOME=" + filepath.Join(home, "data"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "XDG_STATE_HOME=" + filepath.Join(home, "state")}
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run cxtop %v: %v", args, err)
	}
	return result{code, out.String(), errOut.String()}
}

// runIn runs a command line in-process, for the fast checks.
func runIn(t *testing.T, args ...string) result {
	t.Helper()
	home := t.TempDir()
	env := map[string]string{"HOME": home}
	var out, errOut bytes.Buffer
	code := run(args, stdio{in: strings.NewReader(""), out: &out, err: &errOut}, func(k string) string { return env[k] })
	return result{code, out.String(), errOut.String()}
}

// wantOneLineError checks the contract for bad input: a non-zero exit and
// one line on stderr that says what is wrong, never a stack trace.
func wantOneLineError(t *testing.T, r result, code int, contains string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d; stderr: %s", r.code, code, r.errOut)
	}
	first := strings.SplitN(strings.TrimSpace(r.errOut), "\n", 2)[0]
	if !strings.HasPrefix(first, "cxtop: ") || !strings.Contains(first, contains) {
		t.Fatalf("stderr %q, want a first line 'cxtop: ...%s...'", r.errOut, contains)
	}
	if strings.Contains(r.errOut, "goroutine ") || strings.Contains(r.errOut, "panic") {
		t.Fatalf("stack trace on stderr: %s", r.errOut)
	}
	if lines := strings.Count(strings.TrimSpace(r.errOut), "\n") + 1; code == 1 && lines != 1 {
		t.Fatalf("%d lines on stderr, want 1: %q", lines, r.errOut)
	}
}
