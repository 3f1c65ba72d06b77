package main

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"

	"github.com/cxtop/cxtop/cmd/cxtop/config"
	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store/hub"
	"github.com/cxtop/cxtop/tui/serve"
)

// hubAuth is who may call a hub: one token (its client is "client") or
// named clients, each with its own token.
type hubAuth struct {
	token   string
	clients []hub.Client
}

func (h hubAuth) none() bool { return h.token == "" && len(h.clients) == 0 }

// resolveHubAuth takes the tokens from --token-file, else --token, else
// $CXTOP_HUB_TOKEN. A file keeps the token out of ps and shell history: it
// holds one token, or one "NAME TOKEN" line per client ('#' comments).
func resolveHubAuth(token, tokenFile string, getenv func(string) string) (hubAuth, error) {
	if tokenFile != "" {
		if token != "" {
			return hubAuth{}, usagef("--token and --token-file exclude each other: keep the token in the file")
		}
		return readTokenFile(tokenFile)
	}
	if token == "" {
		token = getenv("CXTOP_HUB_TOKEN")
	}
	return hubAuth{token: token}, nil
}

func readTokenFile(path string) (hubAuth, error) {
	data, err := config.ReadPrivateFile("--token-file", path)
	if err != nil {
		return hubAuth{}, err
	}
	var lines [][]string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) > 2 || !model.Printable(line) {
			return hubAuth{}, fmt.Errorf("--token-file %s: line %d: want a token, or NAME TOKEN", path, n)
		}
		lines = append(lines, f)
	}
	switch {
	case len(lines) == 0:
		return hubAuth{}, fmt.Errorf("--token-file %s holds no token", path)
	case len(lines) == 1 && len(lines[0]) == 1:
		return hubAuth{token: lines[0][0]}, nil
	}
	var a hubAuth
	seen := map[string]bool{}
	for i, f := range lines {
		if len(f) != 2 {
			return hubAuth{}, fmt.Errorf("--token-file %s: with several clients, each line is NAME TOKEN (entry %d is not)", path, i+1)
		}
		if seen[f[0]] {
			return hubAuth{}, fmt.Errorf("--token-file %s: client %q is named twice", path, f[0])
		}
		seen[f[0]] = true
		a.clients = append(a.clients, hub.Client{Name: f[0], Token: f[1]})
	}
	return a, nil
}

// checkHubListen refuses a hub that anyone on the network could call
// without a token, unless that is asked for by name.
func checkHubListen(listen string, auth hubAuth, insecure bool) error {
	if !auth.none() || insecure || serve.Loopback(listen) {
		return nil
	}
	return usagef("--listen %s is reachable from other machines and no token is set: give one with --token-file or $CXTOP_HUB_TOKEN, or pass --insecure-no-token", listen)
}
