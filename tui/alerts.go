package tui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
)

// maxAlertRows bounds the resolved alerts the pane keeps below the active
// ones.
const maxAlertRows = 200

type alertsData struct {
	alerts []alert.Alert
	active int // of all stored, not only those kept
	// evaluated is when the rules last ran on the store (by this console,
	// another one, a sync loop or `cxtop alerts`); zero when they never did.
	evaluated time.Time
	err       error
}

// fetchAlerts lists active alerts newest first, then the newest resolved.
func fetchAlerts(st *store.Store) alertsData {
	// The store's index gives the page and the active count without
	// decoding every alert (8,000 took 54 ms).
	list, active, err := st.AlertFeed(maxAlertRows, true)
	if err != nil {
		return alertsData{err: err}
	}
	d := alertsData{alerts: list, active: active}
	if at, ok, err := st.AlertsEvaluated(); err == nil && ok {
		d.evaluated = at
	}
	return d
}

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

	alerts    []alert.Alert
	active    int
	evaluated time.Time
	cursor    int
	top       int
	view      string
}

func newAlertsPane(e *env) *alertsPane { return &alertsPane{env: e} }

func (p *alertsPane) SetSize(w, h int) { p.w, p.h = w, h; p.render() }
func (p *alertsPane) SetFocus(f bool)  { p.focused = f; p.render() }

func (p *alertsPane) KeyMap() []key.Binding {
	k := p.env.keys
	return []key.Binding{k.Up, k.Down, k.Open, k.Ack}
}

// selected is the alert under the cursor.
func (p *alertsPane) selected() *alert.Alert {
	if p.cursor >= len(p.alerts) {
		return nil
	}
	return &p.alerts[p.cursor]
}

func (p *alertsPane) Update(msg tea.Msg) (Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case alertsData:
		if msg.err != nil {
			return p, reportErr("alerts", msg.err)
		}
		// While the user is on the pane, the cursor stays on the same
		// alert when the list moves; otherwise it waits on the newest.
		var key string
		if a := p.selected(); a != nil && p.focused {
			key = a.Key
		}
		p.cursor = 0
		p.alerts, p.active, p.evaluated = msg.alerts, msg.active, msg.evaluated
		for i, a := range p.alerts {
			if a.Key == key {
				p.cursor = i
			}
		}
		p.cursor = min(p.cursor, max(len(p.alerts)-1, 0))
	case tea.KeyMsg:
		k := p.env.keys
		switch {
		case key.Matches(msg, k.Down):
			p.cursor = min(p.cursor+1, max(len(p.alerts)-1, 0))
		case key.Matches(msg, k.Up):
			p.cursor = max(p.cursor-1, 0)
		case key.Matches(msg, k.Open):
			if a := p.selected(); a != nil && a.TicketID != "" {
				id := a.TicketID
				return p, func() tea.Msg { return openTicketMsg{id: id} }
			}
			return p, nil
		default:
			return p, nil
		}
	case themeMsg, clockMsg:
	default:
		return p, nil
	}
	p.render()
	return p, nil
}

func (p *alertsPane) render() {
	if p.w <= 0 || p.h <= 0 {
		p.view = ""
		return
	}
	rows := max(p.h-3, 1)
	p.top = scrollTo(p.top, p.cursor, rows)
	title := fmt.Sprintf("4 Alerts: %d active · %s", p.active, evaluatedText(p.evaluated, p.env.now()))
	p.view = p.env.frame(title, p.lines(p.w-4, rows), p.w, p.h, p.focused)
}

func (p *alertsPane) lines(w, rows int) []string {
	if len(p.alerts) == 0 {
		return []string{emptyAlertsText(p.evaluated, p.env.now())}
	}
	th := p.env.th
	now := p.env.now()
	var lines []string
	for i := p.top; i < len(p.alerts) && len(lines) < rows; i++ {
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
		if i == p.cursor && p.focused {
			mark = "▸ "
		}
		line := fit(fmt.Sprintf("%s%s %-8s %4s  %s", mark, sev, state, ShortDuration(now.Sub(a.FiredAt)), model.Sanitize(p.env.maskText(a.Message))), w)
		switch {
		case i == p.cursor && p.focused:
			line = th.Selected.Render(line)
		case a.State == alert.Firing && a.Severity == alert.Critical:
			line = th.Breach.Render(line)
		case a.State == alert.Firing:
			line = th.Warn.Render(line)
		case a.State == alert.Resolved:
			line = th.Muted.Render(line)
		}
		lines = append(lines, line)
	}
	return lines
}

func (p *alertsPane) View() string { return p.view }
