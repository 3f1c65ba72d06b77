package tui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store/engine"
)

// evaluatedText says how current the alert feed is: when the rules last
// ran, or that nobody runs them on this store, so an empty feed is never
// taken for "all is well" when nothing looked.
func evaluatedText(evaluated, now time.Time) string {
	if evaluated.IsZero() {
		return "not evaluated"
	}
	return "evaluated " + ShortDuration(now.Sub(evaluated)) + " ago"
}

// emptyAlertsText is the feed's one line when it holds no alert.
func emptyAlertsText(evaluated, now time.Time) string {
	if evaluated.IsZero() {
		return "alerts not evaluated: no lead console, sync loop or `cxtop alerts` has run the rules on this store"
	}
	return "no alerts: every rule was within its threshold when last evaluated, " + ShortDuration(now.Sub(evaluated)) + " ago"
}

// alertsPane is the alert feed: active alerts newest first, then resolved
// ones; x acknowledges, enter opens the ticket an alert is about.
type alertsPane struct {
	env     *env
	w, h    int
	focused bool

	alerts    []alert.Alert // the state's list: shared, never written
	active    int
	evaluated time.Time
	gen       uint64 // the state's AlertsGen shown
	stateGen  uint64 // the newest state's Gen
	list      list
	view      string

	// The bell: an alert that fires after the session started rings it
	// once (seen: key → fired at); quiet names the rules whose actions
	// leave "bell" out.
	seen       map[string]time.Time
	start      time.Time
	quiet      map[string]bool
	flashUntil time.Time
}

// flashFor is how long the alert pane stays highlighted after a firing.
const flashFor = 2 * time.Second

type (
	// bellMsg asks the root to ring the terminal bell once.
	bellMsg struct{}
	// flashEndMsg ends the alert pane's flash.
	flashEndMsg struct{}
)

func newAlertsPane(e *env) *alertsPane {
	return &alertsPane{env: e, seen: map[string]time.Time{}, quiet: e.cfg.NoBell, start: e.now()}
}

// fired notes the list's firings and reports whether one is new to this
// session and rings.
func (p *alertsPane) fired(list []alert.Alert) bool {
	ring := false
	for _, a := range list {
		// One fired before the session started never rings: it is not
		// remembered either (a store holds thousands of them).
		if a.State != alert.Firing || !a.FiredAt.After(p.start) {
			continue
		}
		if prev, ok := p.seen[a.Key]; (!ok || !prev.Equal(a.FiredAt)) && !p.quiet[a.Rule] {
			ring = true
		}
		p.seen[a.Key] = a.FiredAt
	}
	return ring
}

func (p *alertsPane) SetSize(w, h int) { p.w, p.h = w, h; p.render() }
func (p *alertsPane) SetFocus(f bool)  { p.focused = f; p.render() }

func (p *alertsPane) KeyMap() []key.Binding {
	k := p.env.keys
	return []key.Binding{k.Up, k.Down, k.Open, k.Ack}
}

// selected is the alert under the cursor.
func (p *alertsPane) selected() *alert.Alert {
	if p.list.cursor >= len(p.alerts) {
		return nil
	}
	a := p.alerts[p.list.cursor]
	return &a
}

func (p *alertsPane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case stateMsg:
		p.evaluated, p.stateGen = msg.st.Evaluated, msg.st.Gen
		if msg.st.AlertsGen != p.gen {
			p.take(msg.st)
			if p.fired(msg.st.Alerts) {
				p.flashUntil = p.env.now().Add(flashFor)
				p.render()
				return p, tea.Batch(func() tea.Msg { return bellMsg{} },
					tea.Tick(flashFor, func(time.Time) tea.Msg { return flashEndMsg{} }))
			}
		}
	case flashEndMsg:
	case tea.KeyMsg:
		k := p.env.keys
		switch {
		case p.list.key(msg, k, false):
		case key.Matches(msg, k.Open):
			if a := p.selected(); a != nil && a.TicketID != "" {
				id := a.TicketID
				return p, func() tea.Msg { return openTicketMsg{id: id} }
			}
			return p, nil
		default:
			return p, nil
		}
	case themeMsg:
	default:
		return p, nil
	}
	p.render()
	return p, nil
}

// take shows a state's new alert list. While the user is on the pane, the
// cursor stays on the same alert when the list moves; otherwise it waits
// on the newest.
func (p *alertsPane) take(st *engine.State) {
	var key string
	if a := p.selected(); a != nil && p.focused {
		key = a.Key
	}
	p.alerts, p.active, p.gen = st.Alerts, st.Active, st.AlertsGen
	p.list.setLen(len(p.alerts))
	p.list.setCursor(0)
	for i, a := range p.alerts {
		if a.Key == key {
			p.list.setCursor(i)
		}
	}
}

func (p *alertsPane) render() {
	if p.w <= 0 || p.h <= 0 {
		p.view = ""
		return
	}
	p.list.setRows(p.h - 3)
	title := fmt.Sprintf("4 Alerts: %d active · %s", p.active, evaluatedText(p.evaluated, p.env.now()))
	flash := p.env.now().Before(p.flashUntil)
	if flash {
		// The flash: the pane drawn as focused, with a marker that shows
		// without colour too.
		title = "▶▶ ALERT FIRED ◀◀  " + title
	}
	draw := func() string { return p.env.frame(title, p.lines(p.w-4), p.w, p.h, p.focused || flash) }
	if p.env.share == nil {
		p.view = draw()
		return
	}
	from, to := p.list.visible()
	p.view = shared(p.env, p.stateGen, alertsKey{look: p.env.look(), w: p.w, h: p.h, cursor: p.list.cursor, from: from, to: to,
		list: p.gen, active: p.active, evaluated: p.evaluated.UnixNano(), focused: p.focused, flash: flash}, draw)
}

// alertsKey is what a drawing of the alert feed depends on besides the
// state: the list is the state's, told apart by its AlertsGen.
type alertsKey struct {
	look
	w, h, cursor, from, to, active int
	list                           uint64
	evaluated                      int64
	focused, flash                 bool
}

func (p *alertsPane) lines(w int) []string {
	if len(p.alerts) == 0 {
		return []string{emptyAlertsText(p.evaluated, p.env.now())}
	}
	th := p.env.th
	now := p.env.now()
	var lines []string
	from, to := p.list.visible()
	for i := from; i < to; i++ {
		a := p.alerts[i]
		sev := "▲"
		if a.Severity == alert.Critical {
			sev = "✗"
		}
		state := a.State
		if state == alert.Acknowledged {
			state = "acked"
		}
		mark := "  "
		if i == p.list.cursor && p.focused {
			mark = "▸ "
		}
		line := fit(fmt.Sprintf("%s%s %-8s %4s  %s", mark, sev, state, ShortDuration(now.Sub(a.FiredAt)), model.Sanitize(p.env.maskText(a.Message))), w)
		switch {
		case i == p.list.cursor && p.focused:
			line = p.env.paint("Selected", th.Selected, line)
		case a.State == alert.Firing && a.Severity == alert.Critical:
			line = p.env.paint("Breach", th.Breach, line)
		case a.State == alert.Firing:
			line = p.env.paint("Warn", th.Warn, line)
		case a.State == alert.Resolved:
			line = p.env.paint("Muted", th.Muted, line)
		}
		lines = append(lines, line)
	}
	return lines
}

func (p *alertsPane) View() string { return p.view }
