package model

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sanitize makes text from a record or a remote safe to print on a
// terminal, on one line. It is the one sanitizer every command, the console
// and SSH sessions use, so a ticket id, a segment or a remote's error body
// cannot change a window title, write the clipboard (OSC 52), clear the
// screen or reorder what a reader sees:
//   - escape sequences (CSI, OSC, DCS, SOS, PM, APC, in their 7-bit ESC and
//     8-bit C1 forms) are removed whole, with their parameters;
//   - other C0 and C1 controls, DEL and the line and paragraph separators
//     become a space (so "a\nb" stays two words);
//   - bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069,
//     U+200E, U+200F, U+061C) and zero-width or other invisible format
//     characters (U+200B–200D, U+2060–2064, U+FEFF, every Unicode Cf) are
//     removed;
//   - invalid UTF-8 becomes U+FFFD.
func Sanitize(s string) string {
	if isPlain(s) {
		return s // the common case allocates nothing
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune(utf8.RuneError)
			i += max(size, 1)
			continue
		case r == 0x1b:
			i += escapeLen(s[i:])
			continue
		case r >= 0x80 && r < 0xa0 && c1Introducer(r):
			i += size + stringBodyLen(s[i+size:], r == 0x9b)
			continue
		case invisible(r):
		case isControl(r):
			b.WriteByte(' ')
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Printable reports whether s needs no sanitizing: valid UTF-8 with no
// control, escape, bidi or invisible format character.
func Printable(s string) bool { return isPlain(s) }

// CheckPrintable is the rule for identifiers and dimension values that come
// in from a file or a remote: printable, so every later output is honest.
func CheckPrintable(s string) error {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return fmt.Errorf("is not valid UTF-8 (byte %d)", i)
		case isControl(r):
			return fmt.Errorf("contains the control character U+%04X (byte %d)", r, i)
		case invisible(r):
			return fmt.Errorf("contains the invisible or bidi character U+%04X (byte %d)", r, i)
		}
		i += size
	}
	return nil
}

func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			return false
		}
		if c >= 0x80 {
			return CheckPrintable(s[i:]) == nil
		}
	}
	return true
}

func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0x2028 || r == 0x2029
}

// invisible: characters that print nothing yet change what a reader sees
// (bidi controls reorder text; zero-width ones hide differences).
func invisible(r rune) bool {
	switch {
	case r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2060 && r <= 0x2069,
		r == 0xfeff, r == 0x061c, r == 0x180e, r == 0x00ad:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// c1Introducer: the 8-bit forms of CSI, OSC, DCS, SOS, PM and APC, which
// start a sequence some terminals act on.
func c1Introducer(r rune) bool {
	switch r {
	case 0x9b, 0x9d, 0x90, 0x98, 0x9e, 0x9f:
		return true
	}
	return false
}

// escapeLen is the length of the escape sequence at the start of s (which
// begins with ESC), so all of it is dropped, not only the ESC.
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch c := s[1]; {
	case c == '[':
		return 2 + stringBodyLen(s[2:], true)
	case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_':
		return 2 + stringBodyLen(s[2:], false)
	case c >= 0x20 && c <= 0x2f: // intermediates, then one final byte
		n := 2
		for n < len(s) && s[n] >= 0x20 && s[n] <= 0x2f {
			n++
		}
		if n < len(s) && s[n] >= 0x30 && s[n] <= 0x7e {
			n++
		}
		return n
	case c >= 0x30 && c <= 0x7e:
		return 2
	}
	return 1
}

// stringBodyLen is the length of a CSI's parameters and final byte (csi),
// or of a control string up to and including its terminator (BEL, ESC \ or
// the 8-bit ST). An unterminated one runs to the end of s: dropping too
// much is safe, printing half a sequence is not.
func stringBodyLen(s string, csi bool) int {
	if csi {
		for i := 0; i < len(s); i++ {
			switch c := s[i]; {
			case c >= 0x40 && c <= 0x7e:
				return i + 1
			case c < 0x20 || c > 0x7e:
				return i // not a CSI byte: the sequence ends here, malformed
			}
		}
		return len(s)
	}
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case s[i] == 0xc2 && i+1 < len(s) && s[i+1] == 0x9c:
			return i + 2
		}
	}
	return len(s)
}

// SanitizeLines is Sanitize for text of several lines: each line is
// sanitized and the line breaks between them are kept.
func SanitizeLines(s string) string {
	if isPlain(strings.ReplaceAll(s, "\n", "")) {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Sanitize(l)
	}
	return strings.Join(lines, "\n")
}
