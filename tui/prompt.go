package tui

import (
	"github.com/charmbracelet/bubbles/textinput"
)

// promptKind is what a line typed at the bottom of the console is for.
type promptKind int

const (
	promptNone promptKind = iota
	promptSearch
	promptFilter
	promptAssign
	promptType
	promptNote
)

// prompt is the one-line input that replaces the status bar while the user
// types a search, a filter, an assignee, a type or a note.
type prompt struct {
	kind   promptKind
	ticket string // the ticket a triage prompt is about
	hint   string // what may be typed, shown after the input
	// input is made when the prompt opens and dropped when it closes: a
	// text input is ~5 KB with its styles, and most sessions (every SSH
	// viewer that only watches) never open one.
	input    *textinput.Model
	previous string // the value before, restored by esc
}

func (p *prompt) active() bool { return p.kind != promptNone }

// open starts a prompt with a label, an initial value and a hint.
func (p *prompt) open(kind promptKind, label, value, hint, ticket string) {
	ti := textinput.New()
	ti.Prompt = label
	ti.CharLimit = 500
	ti.SetValue(value)
	ti.CursorEnd()
	ti.Focus()
	*p = prompt{kind: kind, ticket: ticket, hint: hint, input: &ti, previous: value}
}

func (p *prompt) close() { *p = prompt{} }

// openChoice starts a prompt whose current value is shown as a
// placeholder, not as text: what is typed replaces it rather than being
// appended to it (a prefilled "customer_care/Nguyen Thi Lan" plus a typed
// "billing/Tran Thi B" was once saved as one assignee). tab completes
// from suggestions.
func (p *prompt) openChoice(kind promptKind, label, current, hint, ticket string, suggestions []string) {
	p.open(kind, label, "", hint, ticket)
	p.input.Placeholder = current
	p.input.ShowSuggestions = len(suggestions) > 0
	p.input.SetSuggestions(suggestions)
	p.previous = current
}
