package serve

import (
	"strings"
	"testing"
	"time"
)

func validOptions() Options {
	return Options{Listen: "127.0.0.1:2222", HostKeyPath: "/tmp/key", MaxSessions: 8, IdleTimeout: time.Minute}
}

func TestValidateAcceptsGoodOptions(t *testing.T) {
	for _, listen := range []string{"127.0.0.1:2222", ":2222", "127.0.0.1:0", "[::1]:2222", "localhost:22"} {
		o := validOptions()
		o.Listen = listen
		o.AllowAnyKey = listen == ":2222" // every interface: any key must be asked for
		if err := o.Validate(); err != nil {
			t.Errorf("--listen %s: %v", listen, err)
		}
	}
	o := validOptions()
	o.IdleTimeout, o.Theme, o.MaxSessions = 0, "light", MaxSessionsLimit
	if err := o.Validate(); err != nil {
		t.Errorf("idle 0, light theme, %d sessions: %v", MaxSessionsLimit, err)
	}
}

func TestValidateNamesTheBadOption(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Options)
		want string
	}{
		{"no port", func(o *Options) { o.Listen = "127.0.0.1" }, `--listen "127.0.0.1" is not HOST:PORT`},
		{"port word", func(o *Options) { o.Listen = "127.0.0.1:ssh" }, `port "ssh" is not a number`},
		{"port too big", func(o *Options) { o.Listen = ":70000" }, `port "70000" is not a number from 0 to 65535`},
		{"bad host", func(o *Options) { o.Listen = "no host!:22" }, `host "no host!" is not`},
		{"any key on every interface", func(o *Options) { o.Listen = ":2222" }, "pass --allow-any-key"},
		{"any key on a LAN address", func(o *Options) { o.Listen = "192.0.2.7:2222" }, "--authorized-keys FILE"},
		{"zero sessions", func(o *Options) { o.MaxSessions = 0 }, "--max-sessions 0 is out of range: use 1 to 1000"},
		{"too many sessions", func(o *Options) { o.MaxSessions = 1001 }, "--max-sessions 1001 is out of range"},
		{"tiny idle", func(o *Options) { o.IdleTimeout = time.Millisecond }, "--idle-timeout 1ms is out of range"},
		{"negative idle", func(o *Options) { o.IdleTimeout = -time.Second }, "--idle-timeout -1s is out of range"},
		{"theme", func(o *Options) { o.Theme = "neon" }, `--theme "neon" is not known`},
		{"host key", func(o *Options) { o.HostKeyPath = "" }, "--host-key is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := validOptions()
			tc.edit(&o)
			err := o.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error spans lines: %q", err)
			}
		})
	}
}
