package privacy

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cxtop/cxtop/model"
)

// Names is a set of names known to be people's, found in every record
// being masked: customer ids, staff, and the names free text introduces.
// A record's free text may name someone it never introduces ("same issue
// as Nguyen Van An last week"): masking with the names of every record
// catches those. Names are matched as whole words, case-insensitively, by
// their letter-and-digit tokens, so one pass over a text finds any of a
// hundred thousand names.
type Names struct {
	root nameNode
	n    int
}

// nameNode is a trie over names' tokens.
type nameNode struct {
	next map[string]*nameNode
	end  bool // a name ends here
}

// NewNames returns an empty set.
func NewNames() *Names { return &Names{} }

// Len is the number of names added.
func (ns *Names) Len() int { return ns.n }

// Add adds a person's name; names shorter than three letters (they would
// mask half the words) and the machine actors are not people and are left
// out.
func (ns *Names) Add(name string) {
	if utf8.RuneCountInString(strings.TrimSpace(name)) < 3 || NotAPerson(name) {
		return
	}
	toks := tokens(foldSameLen(name))
	if len(toks) == 0 {
		return
	}
	n := &ns.root
	for _, t := range toks {
		if n.next == nil {
			n.next = map[string]*nameNode{}
		}
		c := n.next[t.text]
		if c == nil {
			c = &nameNode{}
			n.next[t.text] = c
		}
		n = c
	}
	if !n.end {
		n.end = true
		ns.n++
	}
}

// AddRecord adds the people a record names: its customer, its assignee and
// everyone in its history, and the names its free text introduces ("my
// name is ...").
func (ns *Names) AddRecord(r model.Record) {
	switch {
	case r.Ticket != nil:
		t := r.Ticket
		ns.Add(t.CustomerID)
		ns.Add(t.Assignee)
		ns.addIntroduced(t.Subject)
		ns.addIntroduced(t.Description)
		for _, tag := range t.Tags {
			ns.addIntroduced(tag)
		}
		for _, c := range t.History {
			ns.Add(c.By)
			switch c.Field {
			case "assignee":
				ns.Add(c.Old)
				ns.Add(c.New)
			case "customer_id":
				ns.Add(c.Old)
				ns.Add(c.New)
			default:
				ns.addIntroduced(c.Old)
				ns.addIntroduced(c.New)
			}
		}
	case r.Feedback != nil:
		ns.Add(r.Feedback.CustomerID)
		ns.addIntroduced(r.Feedback.Comment)
	case r.Event != nil:
		ns.Add(r.Event.CustomerID)
	}
}

// addIntroduced adds the names s introduces.
func (ns *Names) addIntroduced(s string) {
	if s == "" {
		return
	}
	for _, m := range namePattern.FindAllStringSubmatch(s, -1) {
		ns.Add(m[1])
	}
}

// Replace replaces every whole-word occurrence of a name of the set in s
// with repl(the text as written), the longest name first where two start
// at one word.
func (ns *Names) Replace(s string, repl func(string) string) string {
	if ns == nil || ns.n == 0 || s == "" {
		return s
	}
	lower := foldSameLen(s)
	toks := tokens(lower)
	var b strings.Builder
	done := 0 // bytes of s written to b
	for i := 0; i < len(toks); {
		n, end, last := &ns.root, -1, -1
		for j := i; j < len(toks); j++ {
			if n = n.next[toks[j].text]; n == nil {
				break
			}
			if n.end {
				end, last = toks[j].end, j
			}
		}
		if end < 0 {
			i++
			continue
		}
		start := toks[i].start
		b.WriteString(s[done:start])
		b.WriteString(repl(s[start:end]))
		done = end
		i = last + 1
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// token is a run of letters and digits in a text.
type token struct {
	text       string
	start, end int
}

func tokens(s string) []token {
	var out []token
	start := -1
	for i, r := range s {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			out = append(out, token{s[start:i], start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, token{s[start:], start, len(s)})
	}
	return out
}

// foldSameLen lower-cases s rune by rune where that keeps the rune's
// length, so offsets in the result are offsets in s.
func foldSameLen(s string) string {
	folded := strings.Map(func(r rune) rune {
		if l := unicode.ToLower(r); utf8.RuneLen(l) == utf8.RuneLen(r) {
			return l
		}
		return r
	}, s)
	if len(folded) != len(s) {
		return s // invalid UTF-8 became U+FFFD: match as written
	}
	return folded
}
