package serve

import (
	"bytes"
	"fmt"
	"net"
	"path"
	"strings"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// authorizedKey is one line of an authorized_keys file with the options
// cxtop serve honours (sshd(8), AUTHORIZED_KEYS FILE FORMAT).
type authorizedKey struct {
	key    []byte    // the key's wire form
	from   []string  // from="pattern-list": address patterns, "!" negates
	expiry time.Time // expiry-time: not accepted at or after it
	noPty  bool      // no-pty, or restrict without pty: no terminal, so no console
}

// What each option means here. Serve offers one thing, the read-only
// console on a pty: no forwarding, agent, X11, tunnel, rc file or command.
// So options that take those away are honoured by construction, options
// that grant them grant nothing, and the rest are either enforced (from,
// expiry-time, no-pty/restrict/pty) or refused: a line whose meaning we
// cannot keep (command=, cert-authority, principals=, verify-required) is
// an error, never silently a wider grant.
var keyOptions = map[string]string{
	"from": "value", "expiry-time": "value", "no-pty": "flag", "pty": "flag", "restrict": "flag",
	"no-port-forwarding": "flag", "no-agent-forwarding": "flag", "no-x11-forwarding": "flag", "no-user-rc": "flag",
	"port-forwarding": "flag", "agent-forwarding": "flag", "x11-forwarding": "flag", "user-rc": "flag",
	"no-touch-required": "flag",
	"permitopen":        "value", "permitlisten": "value", "tunnel": "value",
	// environment= is ignored, as sshd ignores it unless PermitUserEnvironment.
	"environment":     "value",
	"command":         "refuse: cxtop serve runs only the console, so it cannot force a command",
	"cert-authority":  "refuse: cxtop serve does not accept certificates: list each user's key",
	"principals":      "refuse: principals only apply to certificates, which cxtop serve does not accept",
	"verify-required": "refuse: cxtop serve cannot check FIDO user verification",
}

// parseAuthorizedKeys reads an authorized_keys file. Every line must parse
// and carry only options serve can honour; the error names the line.
func parseAuthorizedKeys(data []byte) ([]authorizedKey, error) {
	var keys []authorizedKey
	for i, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		k, err := parseAuthorizedKey(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

func parseAuthorizedKey(line []byte) (authorizedKey, error) {
	pub, _, options, rest, err := gossh.ParseAuthorizedKey(line)
	if err != nil {
		return authorizedKey{}, fmt.Errorf("not a public key (%v)", err)
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return authorizedKey{}, fmt.Errorf("more than one key on the line")
	}
	k := authorizedKey{key: pub.Marshal()}
	restricted, pty := false, false
	for _, o := range options {
		name, value, hasValue := strings.Cut(o, "=")
		name = strings.ToLower(name)
		kind, known := keyOptions[name]
		switch {
		case !known:
			return k, fmt.Errorf("option %q is not known to cxtop serve: remove it or use another line", name)
		case strings.HasPrefix(kind, "refuse"):
			return k, fmt.Errorf("option %s: %s", name, strings.TrimPrefix(kind, "refuse: "))
		case kind == "flag" && hasValue:
			return k, fmt.Errorf("option %s takes no value", name)
		case kind == "value":
			v, err := unquote(value, hasValue)
			if err != nil {
				return k, fmt.Errorf("option %s: %v", name, err)
			}
			value = v
		}
		switch name {
		case "from":
			pats, err := parseFrom(value)
			if err != nil {
				return k, fmt.Errorf("option from: %v", err)
			}
			k.from = append(k.from, pats...)
		case "expiry-time":
			t, err := parseExpiry(value)
			if err != nil {
				return k, fmt.Errorf("option expiry-time: %v", err)
			}
			if k.expiry.IsZero() || t.Before(k.expiry) {
				k.expiry = t
			}
		case "no-pty":
			k.noPty = true
		case "restrict":
			restricted = true
		case "pty":
			pty = true
		}
	}
	if restricted && !pty {
		k.noPty = true
	}
	return k, nil
}

// unquote reads an option value: "double quoted", with \" for a quote.
func unquote(v string, present bool) (string, error) {
	if !present || len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", fmt.Errorf(`want a value in double quotes (name="value")`)
	}
	return strings.ReplaceAll(v[1:len(v)-1], `\"`, `"`), nil
}

// parseFrom reads from="pattern-list". Serve does not resolve names (as
// sshd with its default UseDNS no), so a host-name pattern could never be
// honoured: it is refused rather than matched against an address.
func parseFrom(list string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(list, ",") {
		body := strings.TrimPrefix(p, "!")
		if body == "" {
			return nil, fmt.Errorf("empty pattern in %q", list)
		}
		if strings.Contains(body, "/") {
			if _, _, err := net.ParseCIDR(body); err != nil {
				return nil, fmt.Errorf("%q is not an address/prefix-length", body)
			}
		} else if strings.Trim(body, "0123456789abcdefABCDEF.:*?") != "" {
			return nil, fmt.Errorf("%q is a host name: cxtop serve matches addresses only (like 192.0.2.*, 10.0.0.0/8, !10.0.0.9)", body)
		}
		if _, err := path.Match(body, ""); err != nil && !strings.Contains(body, "/") {
			return nil, fmt.Errorf("%q is not a pattern", body)
		}
		out = append(out, p)
	}
	return out, nil
}

// fromAllows applies a from= list to a client address: a negated match
// refuses, otherwise any match admits.
func fromAllows(patterns []string, addr net.Addr) bool {
	if len(patterns) == 0 {
		return true
	}
	host := addr.String()
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	ip := net.ParseIP(host)
	allowed := false
	for _, p := range patterns {
		neg := strings.HasPrefix(p, "!")
		body := strings.TrimPrefix(p, "!")
		var match bool
		if strings.Contains(body, "/") {
			_, n, err := net.ParseCIDR(body)
			match = err == nil && ip != nil && n.Contains(ip)
		} else {
			match, _ = path.Match(strings.ToLower(body), strings.ToLower(host))
		}
		if match && neg {
			return false
		}
		allowed = allowed || match
	}
	return allowed
}

// parseExpiry reads YYYYMMDD[Z] or YYYYMMDDHHMM[SS][Z]: local time unless
// it ends in Z (UTC). A date alone means its midnight.
func parseExpiry(v string) (time.Time, error) {
	loc := time.Local
	if s, ok := strings.CutSuffix(v, "Z"); ok {
		v, loc = s, time.UTC
	}
	layouts := map[int]string{8: "20060102", 12: "200601021504", 14: "20060102150405"}
	layout, ok := layouts[len(v)]
	if !ok {
		return time.Time{}, fmt.Errorf("%q: use YYYYMMDD or YYYYMMDDHHMM[SS], with Z for UTC", v)
	}
	t, err := time.ParseInLocation(layout, v, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: use YYYYMMDD or YYYYMMDDHHMM[SS], with Z for UTC", v)
	}
	return t, nil
}

// admits finds the line that lets key in from addr at now: the key
// matches, its from= admits the address and it has not expired.
func admits(keys []authorizedKey, key gossh.PublicKey, addr net.Addr, now time.Time) (authorizedKey, bool) {
	wire := key.Marshal()
	for _, k := range keys {
		if !bytes.Equal(k.key, wire) {
			continue
		}
		if !k.expiry.IsZero() && !now.Before(k.expiry) {
			continue
		}
		if !fromAllows(k.from, addr) {
			continue
		}
		return k, true
	}
	return authorizedKey{}, false
}
