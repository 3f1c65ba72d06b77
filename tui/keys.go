package tui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

// KeyMap is the console's keys. Global keys work everywhere; the movement
// keys go to the focused pane; each pane lists the keys it adds (see its
// KeyMap method) so the help view shows what works where.
type KeyMap struct {
	Up, Down, PageUp, PageDown key.Binding
	Open, Back                 key.Binding
	NextPane, PrevPane         key.Binding
	Pane1, Pane2, Pane3, Pane4 key.Binding
	Search, Filter, View       key.Binding
	Status, Assign, Priority   key.Binding
	Type, Note, Escalate       key.Binding
	Ack, Range, Window         key.Binding
	Breakdown                  key.Binding
	Theme, Refresh, Help, Quit key.Binding
}

// DefaultKeys are the bindings of the console's key table.
func DefaultKeys() KeyMap {
	b := func(help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(strings.Join(keys, "/"), help))
	}
	return KeyMap{
		Up:        b("move up", "k", "up"),
		Down:      b("move down", "j", "down"),
		PageUp:    b("page up", "pgup", "ctrl+u"),
		PageDown:  b("page down", "pgdown", "ctrl+d"),
		Open:      b("open: ticket, alert's ticket, KPI's trend", "enter"),
		Back:      b("back / clear search and filter", "esc"),
		NextPane:  b("next pane", "tab"),
		PrevPane:  b("previous pane", "shift+tab"),
		Pane1:     b("queue", "1"),
		Pane2:     b("KPI gauges", "2"),
		Pane3:     b("trends", "3"),
		Pane4:     b("alerts", "4"),
		Search:    b("search id, subject, customer", "/"),
		Filter:    b("filter: status= type= subtype= source= segment= dept= priority= assignee= escalated= breached=", "f"),
		View:      b("next saved view", "v"),
		Status:    b("next status (leads)", "s"),
		Assign:    b("assign department[/assignee] (leads)", "a"),
		Priority:  b("next priority (leads)", "p"),
		Type:      b("set type[/sub-type] (leads)", "y"),
		Note:      b("add a note (leads)", "n"),
		Escalate:  b("escalate (leads)", "e"),
		Ack:       b("acknowledge the selected alert (leads)", "x"),
		Range:     b("trend range: 24h, 7d, 30d, 90d", "r"),
		Window:    b("KPI window: 24h, 7d, 30d, 90d", "w"),
		Breakdown: b("ticket breakdown: type, sub-type, …", "b"),
		Theme:     b("next theme", "t"),
		Refresh:   b("reload now", "ctrl+r"),
		Help:      b("help", "?"),
		Quit:      b("quit", "q", "ctrl+c"),
	}
}

// namedBinding is a binding with the action name the config uses for it.
type namedBinding struct {
	name string
	b    *key.Binding
}

// bindings names every binding, for config and help.
func (k *KeyMap) bindings() []namedBinding {
	return []namedBinding{
		{"up", &k.Up}, {"down", &k.Down}, {"page_up", &k.PageUp}, {"page_down", &k.PageDown},
		{"open", &k.Open}, {"back", &k.Back}, {"next_pane", &k.NextPane}, {"prev_pane", &k.PrevPane},
		{"pane1", &k.Pane1}, {"pane2", &k.Pane2}, {"pane3", &k.Pane3}, {"pane4", &k.Pane4},
		{"search", &k.Search}, {"filter", &k.Filter}, {"view", &k.View},
		{"status", &k.Status}, {"assign", &k.Assign}, {"priority", &k.Priority},
		{"type", &k.Type}, {"note", &k.Note}, {"escalate", &k.Escalate},
		{"ack", &k.Ack}, {"range", &k.Range}, {"window", &k.Window}, {"breakdown", &k.Breakdown},
		{"theme", &k.Theme}, {"refresh", &k.Refresh}, {"help", &k.Help}, {"quit", &k.Quit},
	}
}

// global are the keys that work whatever has the focus, in help order.
func (k *KeyMap) global() []key.Binding {
	return []key.Binding{k.NextPane, k.PrevPane, k.Pane1, k.Pane2, k.Pane3, k.Pane4,
		k.Search, k.Filter, k.View, k.Window, k.Theme, k.Refresh, k.Help, k.Quit}
}

// triage are the keys that change the selected ticket.
func (k *KeyMap) triage() []key.Binding {
	return []key.Binding{k.Status, k.Assign, k.Priority, k.Type, k.Note, k.Escalate}
}

// Rebind applies the [console.keys] of the config: action name → keys.
// An unknown action, an empty list, or a key bound to two actions is an
// error naming it, so a typo never leaves a key dead.
func (k *KeyMap) Rebind(keys map[string][]string) error {
	byName := map[string]*key.Binding{}
	var names []string
	for _, nb := range k.bindings() {
		byName[nb.name] = nb.b
		names = append(names, nb.name)
	}
	actions := make([]string, 0, len(keys))
	for a := range keys {
		actions = append(actions, a)
	}
	sort.Strings(actions)
	for _, a := range actions {
		b, ok := byName[a]
		if !ok {
			return fmt.Errorf("console.keys: unknown action %q: use one of %s", a, strings.Join(names, ", "))
		}
		if len(keys[a]) == 0 {
			return fmt.Errorf("console.keys.%s: give at least one key", a)
		}
		b.SetKeys(keys[a]...)
		b.SetHelp(strings.Join(keys[a], "/"), b.Help().Desc)
	}
	owner := map[string]string{}
	for _, nb := range k.bindings() {
		for _, key := range nb.b.Keys() {
			if other, dup := owner[key]; dup {
				return fmt.Errorf("console.keys: %q is bound to both %s and %s: give one of them another key", key, other, nb.name)
			}
			owner[key] = nb.name
		}
	}
	return nil
}
