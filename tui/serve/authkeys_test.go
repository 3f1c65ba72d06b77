package serve

import (
	"crypto/ed25519"
	"crypto/rand"
	"net"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

func TestAuthorizedKeyOptions(t *testing.T) {
	key := authorizedLine(clientKey(t).PublicKey())
	for _, tc := range []struct {
		line  string
		want  string // error text; "" when the line is accepted
		noPty bool
		from  int
	}{
		{line: key},
		{line: `from="10.0.0.0/8,!10.0.0.9,192.0.2.*" ` + key, from: 3},
		{line: `FROM="127.0.0.1" ` + key, from: 1},
		{line: `expiry-time="20300101" ` + key},
		{line: `expiry-time="203001011200Z" ` + key},
		{line: `no-pty ` + key, noPty: true},
		{line: `restrict ` + key, noPty: true},
		{line: `restrict,pty ` + key},
		{line: `no-pty,pty ` + key, noPty: true},
		{line: `no-port-forwarding,no-agent-forwarding,no-X11-forwarding,no-user-rc,permitopen="192.0.2.1:80",permitlisten="localhost:8080",tunnel="0" ` + key},
		{line: `environment="A=b" ` + key},
		{line: `command="uptime" ` + key, want: "cannot force a command"},
		{line: `restrict,command="nethack" ` + key, want: "cannot force a command"},
		{line: `cert-authority ` + key, want: "does not accept certificates"},
		{line: `principals="ops" ` + key, want: "principals"},
		{line: `verify-required ` + key, want: "FIDO user verification"},
		{line: `frobnicate ` + key, want: `option "frobnicate" is not known`},
		{line: `from="*.example.net" ` + key, want: "is a host name"},
		{line: `from="10.0.0.0/99" ` + key, want: "not an address/prefix-length"},
		{line: `from=10.0.0.1 ` + key, want: "double quotes"},
		{line: `from="" ` + key, want: "empty pattern"},
		{line: `expiry-time="tomorrow" ` + key, want: "use YYYYMMDD"},
		{line: `no-pty="yes" ` + key, want: "takes no value"},
		{line: `ssh-ed25519 AAAAnotbase64`, want: "not a public key"},
	} {
		keys, err := parseAuthorizedKeys([]byte("# comment\n\n" + tc.line + "\n"))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.line, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "line 3: ")):
			t.Errorf("%s: error %v, want line 3 and %q", tc.line, err, tc.want)
		case err == nil && (keys[0].noPty != tc.noPty || len(keys[0].from) != tc.from):
			t.Errorf("%s: noPty %v from %v", tc.line, keys[0].noPty, keys[0].from)
		}
	}
}

func TestFromAndExpiryDecideALogin(t *testing.T) {
	signer := clientKey(t)
	key := authorizedLine(signer.PublicKey())
	addr := func(s string) net.Addr { a, _ := net.ResolveTCPAddr("tcp", s); return a }
	now := time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		line, from string
		ok         bool
	}{
		{key, "203.0.113.5:40000", true},
		{`from="10.0.0.0/8,!10.0.0.9" ` + key, "10.1.2.3:1", true},
		{`from="10.0.0.0/8,!10.0.0.9" ` + key, "10.0.0.9:1", false},
		{`from="10.0.0.0/8" ` + key, "192.0.2.1:1", false},
		{`from="192.0.2.*" ` + key, "192.0.2.77:1", true},
		{`from="::1" ` + key, "[::1]:1", true},
		{`expiry-time="20270601Z" ` + key, "10.0.0.1:1", false},
		{`expiry-time="202706011201Z" ` + key, "10.0.0.1:1", true},
		// a refused line does not hide a later one for the same key
		{`from="10.0.0.0/8" ` + key + "\n" + key, "192.0.2.1:1", true},
	} {
		keys, err := parseAuthorizedKeys([]byte(tc.line))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := admits(keys, signer.PublicKey(), addr(tc.from), now); ok != tc.ok {
			t.Errorf("%q from %s: admitted %v, want %v", tc.line, tc.from, ok, tc.ok)
		}
	}
	other := clientKey(t)
	keys, _ := parseAuthorizedKeys([]byte(key))
	if _, ok := admits(keys, other.PublicKey(), addr("127.0.0.1:1"), now); ok {
		t.Error("a key not in the file was admitted")
	}
}

// FuzzParseAuthorizedKeys: no input panics, and an accepted line's from=
// patterns are all ones fromAllows can apply.
func FuzzParseAuthorizedKeys(f *testing.F) {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	sshPub, _ := gossh.NewPublicKey(pub)
	k := authorizedLine(sshPub)
	for _, s := range []string{k, `from="10.0.0.0/8,!10.0.0.9" ` + k, `restrict,pty ` + k, `command="x" ` + k,
		`expiry-time="20300101Z" ` + k, "# c\n\n" + k, `from="[" ` + k, `environment="A=\"b\"" ` + k} {
		f.Add([]byte(s))
	}
	a, _ := net.ResolveTCPAddr("tcp", "10.0.0.1:22")
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, err := parseAuthorizedKeys(data)
		if err != nil {
			return
		}
		for _, key := range keys {
			fromAllows(key.from, a)
		}
	})
}
