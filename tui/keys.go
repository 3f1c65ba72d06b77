package tui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is the console's keys; the help view lists them.
type KeyMap struct {
	Up, Down, PageUp, PageDown key.Binding
	Open, Back, Search, Tab    key.Binding
	Status, Escalate, Theme    key.Binding
	Refresh, Help, Quit        key.Binding
}

// DefaultKeys are the bindings of issue 6's table that this console has.
func DefaultKeys() KeyMap {
	b := func(help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], help))
	}
	return KeyMap{
		Up:       b("move up", "k", "up"),
		Down:     b("move down", "j", "down"),
		PageUp:   b("page up", "pgup", "ctrl+u"),
		PageDown: b("page down", "pgdown", "ctrl+d"),
		Open:     b("open the ticket", "enter"),
		Back:     b("back / clear search", "esc"),
		Search:   b("search id, subject, customer", "/"),
		Tab:      b("next pane (narrow terminals)", "tab", "shift+tab", "1", "2"),
		Status:   b("next status (leads)", "s"),
		Escalate: b("escalate (leads)", "e"),
		Theme:    b("next theme", "t"),
		Refresh:  b("reload now", "r"),
		Help:     b("help", "?"),
		Quit:     b("quit", "q", "ctrl+c"),
	}
}

func (k KeyMap) all() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Open, k.Back, k.Search, k.Tab,
		k.Status, k.Escalate, k.Theme, k.Refresh, k.Help, k.Quit}
}
