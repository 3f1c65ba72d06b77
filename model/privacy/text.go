package privacy

import (
	"regexp"
	"strings"
)

// emailPattern: a practical address, not RFC 5322's: what people type in a
// message ("an.nguyen+shop@mail.com.vn").
var emailPattern = regexp.MustCompile(`[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}`)

// phoneCandidate: a run of digits with the separators people write in phone
// numbers ("+84 912 345 678", "(028) 3822-1234", "0912.345.678"); isPhone
// decides from its digits whether it is one.
var phoneCandidate = regexp.MustCompile(`(?:\+|\(\+?)?\d[\d .\-()]{6,22}\d`)

// namePattern: a name someone introduces in free text ("my name is Tran
// Thi B", "tên tôi là Nguyễn Văn A", "tôi là ..."), up to four capitalised
// words after the phrase.
var namePattern = regexp.MustCompile(`(?i:my name is|i am|i'm|this is|tên tôi là|tên em là|tôi là|em là|mình là|anh là|chị là)\s+((?:\p{Lu}[\p{L}'’\-]*)(?:\s+\p{Lu}[\p{L}'’\-]*){0,3})`)

// isPhone: at least 9 digits (so order numbers, amounts and dates stay) and
// one of the shapes phone numbers have: international (+, 8–15 digits),
// Vietnamese domestic (a leading 0, 10 or 11 digits with the area code, or
// 9 for old landlines) or Vietnamese without the plus (84 then 9–10 digits).
func isPhone(s string) bool {
	digits := 0
	first := byte(0)
	var head strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			if first == 0 {
				first = c
			}
			if head.Len() < 2 {
				head.WriteByte(c)
			}
			digits++
		}
	}
	plus := strings.HasPrefix(strings.TrimLeft(s, "("), "+")
	switch {
	case plus:
		return digits >= 8 && digits <= 15
	case first == '0':
		return digits >= 9 && digits <= 11
	case head.String() == "84":
		return digits == 11 || digits == 12
	}
	return false
}

// Text masks the personal data in free text: emails and phone numbers
// always, and names — those it is told (the record's customer and staff),
// those the text introduces, and those of KnowNames. Each is replaced by a stable token, so the
// same address twice reads as the same token twice.
func (m *Masker) Text(s string, names ...string) string {
	if s == "" {
		return s
	}
	s = emailPattern.ReplaceAllStringFunc(s, func(e string) string {
		return "[email " + m.pseudonym("email", "", strings.ToLower(e))[:8] + "]"
	})
	s = phoneCandidate.ReplaceAllStringFunc(s, m.maskPhones)
	s = namePattern.ReplaceAllStringFunc(s, func(match string) string {
		sub := namePattern.FindStringSubmatchIndex(match)
		return match[:sub[2]] + m.nameToken(match[sub[2]:sub[3]])
	})
	for _, n := range names {
		if len([]rune(n)) < 3 || NotAPerson(n) {
			continue // a two-letter name would mask half the words
		}
		s = replaceFold(s, n, m.nameToken(n))
	}
	return m.known.Replace(s, m.nameToken)
}

// maskPhones masks the phone numbers in a run of digits and separators.
// The run may hold more than a number ("order 12345 0912 345 678"): the
// words are tried from the left, longest first.
func (m *Masker) maskPhones(run string) string {
	words := strings.Split(run, " ")
	var out []string
	for i := 0; i < len(words); {
		j := len(words)
		for ; j > i; j-- {
			lead, core, trail := trimPhone(strings.Join(words[i:j], " "))
			if isPhone(core) {
				out = append(out, lead+"[phone "+m.pseudonym("phone", "", digitsOf(core))[:8]+"]"+trail)
				break
			}
		}
		if j == i {
			out = append(out, words[i])
			j = i + 1
		}
		i = j
	}
	return strings.Join(out, " ")
}

func (m *Masker) nameToken(n string) string {
	return "[name " + m.pseudonym("name", "", strings.ToLower(n))[:8] + "]"
}

// trimPhone keeps the spaces and punctuation around a candidate out of the
// masked part, so "call 0912 345 678." keeps its full stop.
func trimPhone(p string) (lead, core, trail string) {
	core = strings.TrimRight(p, " .-()")
	trail = p[len(core):]
	// a lone "(" before digits that never closes belongs to the text
	if strings.HasPrefix(core, "(") && !strings.Contains(core, ")") {
		return "(", core[1:], trail
	}
	return "", core, trail
}

func digitsOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	d := b.String()
	// +84 912… and 0912… are the same Vietnamese number
	if strings.HasPrefix(d, "84") && len(d) >= 11 {
		d = "0" + d[2:]
	}
	return d
}

// replaceFold replaces every case-insensitive occurrence of old in s.
func replaceFold(s, old, repl string) string {
	lower, lold := strings.ToLower(s), strings.ToLower(old)
	if len(lower) != len(s) || !strings.Contains(lower, lold) {
		if len(lower) != len(s) {
			return strings.ReplaceAll(s, old, repl) // case mapping changed lengths: exact match only
		}
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(lower, lold)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(repl)
		s, lower = s[i+len(old):], lower[i+len(old):]
	}
}

// customerMention is how alert messages name a customer ("(customer C1)").
var customerMention = regexp.MustCompile(`\bcustomer ([^\s),;]+)`)

// AlertMessage masks a message written about records: the customers it
// names become their pseudonyms (the same as in the records), and any
// email or phone number in it is masked.
func (m *Masker) AlertMessage(s string) string {
	s = customerMention.ReplaceAllStringFunc(s, func(match string) string {
		return "customer " + m.Customer(strings.TrimPrefix(match, "customer "))
	})
	return m.Text(s)
}
