package model

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "T00000001 late delivery", "T00000001 late delivery"},
		{"vietnamese", "Giao hàng trễ – đơn #123", "Giao hàng trễ – đơn #123"},
		{"emoji with joiner kept apart", "ok 👍", "ok 👍"},
		{"csi colour", "a\x1b[31mred\x1b[0m", "ared"},
		{"screen clear", "x\x1b[2J\x1b[Hy", "xy"},
		{"osc title bel", "\x1b]0;owned\x07id", "id"},
		{"osc 52 clipboard st", "\x1b]52;c;ZWNobyBoaQ==\x1b\\id", "id"},
		{"dcs", "\x1bPq#0;2;0;0;0\x1b\\id", "id"},
		{"apc", "\x1b_secret\x1b\\id", "id"},
		{"unterminated osc drops the rest", "id\x1b]0;title", "id"},
		{"lone esc", "id\x1b", "id"},
		{"esc charset", "a\x1b(Bb", "ab"},
		{"8-bit csi", "a\u009b31mb", "ab"},
		{"8-bit osc", "a\u009d0;t\u009cb", "ab"},
		{"c1 other", "a\u0085b", "a b"},
		{"newline and tab", "a\nb\tc\r", "a b c "},
		{"del", "a\x7fb", "a b"},
		{"line separator", "a\u2028b", "a b"},
		{"rlo", "invoice\u202Egpj.exe", "invoicegpj.exe"},
		{"isolates", "\u2066a\u2067b\u2068c\u2069", "abc"},
		{"zero width", "T0\u200b01\u200c\u200d\ufeff\u2060", "T001"},
		{"lrm rlm alm", "a\u200eb\u200fc\u061c", "abc"},
		{"soft hyphen", "ab\u00adc", "abc"},
		{"invalid utf8", "a\xffb", "a\ufffdb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Sanitize(tc.in); got != tc.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if got := Sanitize(tc.want); got != tc.want {
				t.Errorf("Sanitize is not idempotent on %q: %q", tc.want, got)
			}
			if Printable(tc.in) != (tc.in == tc.want) {
				t.Errorf("Printable(%q) = %v", tc.in, Printable(tc.in))
			}
		})
	}
}

func TestCheckPrintable(t *testing.T) {
	for _, bad := range []string{"a\x1b[2J", "a\u202e", "a\u200b", "a\xff", "a\nb", "a\u0085"} {
		if err := CheckPrintable(bad); err == nil {
			t.Errorf("CheckPrintable(%q) = nil, want an error", bad)
		}
	}
	for _, good := range []string{"", "vip", "Nguyễn Văn A", "order#1/2"} {
		if err := CheckPrintable(good); err != nil {
			t.Errorf("CheckPrintable(%q) = %v", good, err)
		}
	}
}

// FuzzSanitize: whatever comes in, what goes out is valid UTF-8 with no
// control, escape, bidi or invisible character, and sanitizing it again
// changes nothing.
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"plain", "\x1b]52;c;aGk=\x07", "\x1b[1;31m", "\u202egnp.exe", "\u009b2J", "a\xc2", "\x1bP\x1b\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Sanitize(in)
		if !utf8.ValidString(out) {
			t.Fatalf("Sanitize(%q) = %q: invalid UTF-8", in, out)
		}
		if err := CheckPrintable(out); err != nil {
			t.Fatalf("Sanitize(%q) = %q: %v", in, out, err)
		}
		if strings.ContainsRune(out, 0x1b) {
			t.Fatalf("Sanitize(%q) = %q keeps an ESC", in, out)
		}
		if again := Sanitize(out); again != out {
			t.Fatalf("not idempotent: %q → %q → %q", in, out, again)
		}
	})
}
