package engine

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/model/kpi"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/replica"
)

// State is the live state every session shows, computed once per burst of
// commits (and once a minute, for what moves with the clock). It is never
// changed after it is published: sessions share it without locks and keep
// what they need of it.
type State struct {
	// Gen counts the states published by the engine, from 1.
	Gen uint64
	// At is the engine's clock when the state was computed: ages and SLA
	// countdowns are drawn against it.
	At time.Time
	// DataGen is the Gen of the state whose data (KPIs, queue, alerts)
	// this one carries: states in between changed only the sync part or
	// the time the rules last ran. A session reads its own rows again
	// only when it moves.
	DataGen uint64
	// Err is the first read that failed (the rest of the state is what
	// could be read), nil when all went well.
	Err error

	// KPIs are the definitions with their configured targets, in order.
	KPIs []kpi.Def
	// Reports and Trends hold, per window (24h, 7d, 30d, 90d by default),
	// every KPI's value and its trend line.
	Reports map[time.Duration]kpi.Report
	Trends  map[time.Duration]Trend
	// Computing lists the windows whose reports and trends are not in
	// Reports and Trends yet: the engine's first state holds those a
	// console's first frame shows (firstWindows), and the state published
	// right after it all of them. A pane over a window listed here says
	// it is computing; over a window neither here nor there, that the
	// engine has none.
	Computing []time.Duration
	// Own is every KPI over its own default window (kpi.Def.Window), as
	// `cxtop kpi` reads them; OwnSeries the trend lines (OwnPoints) of
	// those whose window is none of the windows above (Trends has the
	// others).
	Own       kpi.Report
	OwnSeries map[string][]*float64
	// SinceGoLive is every KPI from the programme's go-live to At, against
	// the programme's baselines (kpi.SinceGoLive); no KPIs without a
	// go-live.
	SinceGoLive kpi.Report

	// Queue is the head of the open queue in urgency order (QueueHead
	// rows), Open the number of open tickets, Pending the triage actions
	// per ticket that the remote has not acknowledged yet.
	Queue   []*model.Ticket
	Open    int
	Pending map[string]int

	// Alerts lists active alerts newest first, then the newest resolved,
	// at most MaxAlerts; Active counts every active alert stored.
	Alerts []alert.Alert
	Active int
	// AlertsGen changes when the alert list was read again (sessions keep
	// their cursor on the same alert only then).
	AlertsGen uint64
	// Evaluated is when the rules last ran on the store: by this engine,
	// or as another process stored it (zero: never).
	Evaluated time.Time
	// Rules says this engine runs the rules and automations.
	Rules bool

	// Sync is the sync state.
	Sync Sync

	// firstRows: Queue and Alerts hold the first FirstRows only (the
	// engine's first state); the state published right after holds them
	// in full.
	firstRows bool

	// outbox is the outbox's newest entry and length when Pending was
	// read: a later computation reads the outbox again only when either
	// moved (an entry queued, or one delivered).
	outbox [2]uint64
}

// Trend is every KPI as a series over one window.
type Trend struct {
	At     time.Time // the window's end (an hour)
	Step   time.Duration
	Series map[string][]*float64
}

// Sync describes the store's sync for the status bar.
type Sync struct {
	// Live: this engine runs the sync loop (Status is the loop's own);
	// otherwise Status is what a sync left in the store, if any.
	Live   bool
	Status replica.Status
	// Progress is the caller's note before the sync state (the demo's
	// history arriving), "" for none.
	Progress string
}

// Limits of the state.
const (
	// QueueHead is how many queue rows the state holds: the first pages
	// of any terminal; rows past it are read by the session that scrolls.
	QueueHead = 100
	// MaxAlerts bounds the alert list.
	MaxAlerts = 200
	// FirstRows is how many queue rows and alerts the engine's first state
	// holds: more than a pane of a first frame shows (a console of 60
	// rows). On a freshly opened store each alert and ticket read is a
	// page fault or two (they lie all over the file): the first state
	// reads what is drawn, and the state right after it the full head
	// and list (QueueHead, MaxAlerts).
	FirstRows = 64
	// OwnPoints is the length of a trend line in OwnSeries.
	OwnPoints = 24
	// TrendPoints bounds the points of a trend series (one an hour below
	// it): a session draws at most one point a column and merges
	// neighbours on a narrower pane.
	TrendPoints = 168
)

// DefaultWindows are the console's windows: the gauges' span and the
// trend ranges.
var DefaultWindows = []time.Duration{24 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour, 90 * 24 * time.Hour}

// Complete reports whether the state holds every window's reports and
// trends (see Computing).
func (s *State) Complete() bool { return len(s.Computing) == 0 }

// IsComputing reports whether the reports and trends of span are still
// being computed (they arrive with the next state).
func (s *State) IsComputing(span time.Duration) bool { return slices.Contains(s.Computing, span) }

// firstWindows are the windows of the engine's first state: what a
// console's first frame shows. That is the first window (the trends
// pane's range at start) and the KPIs' own windows among windows (the
// gauges at start show each KPI over its own, with its trend line); the
// others, the longest and costliest, follow in the next state.
func firstWindows(windows []time.Duration, defs []kpi.Def) []time.Duration {
	if len(windows) == 0 {
		return nil
	}
	own := map[time.Duration]bool{windows[0]: true}
	for _, d := range defs {
		length := d.Window
		if length == 0 {
			length = kpi.DefaultWindow
		}
		own[length] = true
	}
	var first []time.Duration
	for _, w := range windows {
		if own[w] {
			first = append(first, w)
		}
	}
	return first
}

// trendPoints is the number of points of a window's series.
func trendPoints(span time.Duration) int {
	return max(min(int(span/time.Hour), TrendPoints), 1)
}

// computeKPIs reads the reports and trends of every window in one read of
// the rollups, sharing the sums from the start of history. A trend of
// prev whose window has not moved (the same end hour) is kept but for its
// last point, which is read again, unless full: the series are most of the
// cost (a point is a KPI over a slice, over a hundred points a window),
// and what a commit adds lands in the last slice (records of past hours,
// a late page of history, reach the others at the next full computation:
// every minute, and after a commit of more tickets than a change lists).
func computeKPIs(r Reader, now time.Time, windows []time.Duration, defs []kpi.Def, prev map[time.Duration]Trend, full bool) (kpis, error) {
	return readKPIs(r, now, windows, defs, prev, full, true)
}

// readKPIs is computeKPIs, reading each KPI over its own window too when
// own is set.
func readKPIs(r Reader, now time.Time, windows []time.Duration, defs []kpi.Def, prev map[time.Duration]Trend, full, own bool) (kpis, error) {
	out := kpis{reports: map[time.Duration]kpi.Report{}, trends: map[time.Duration]Trend{}, ownSeries: map[string][]*float64{}}
	reports, trends := out.reports, out.trends
	err := r.ViewRollups(func(ro *store.Rollups) error {
		src := kpi.WithPrefixSums(ro)
		for _, span := range windows {
			w, err := kpi.NewWindow(now, span)
			if err != nil {
				return err
			}
			n := trendPoints(span)
			reports[span] = kpi.Compute(src, w, defs, nil)
			step := kpi.SeriesStep(w, n)
			if old, ok := prev[span]; ok && !full && old.At.Equal(w.At) && old.Step == step {
				last, err := kpi.NewWindow(now, step)
				if err != nil {
					return err
				}
				trends[span] = Trend{At: w.At, Step: step, Series: withLast(old.Series, kpi.Series(src, last, 1, defs))}
				continue
			}
			trends[span] = Trend{At: w.At, Step: step, Series: kpi.Series(src, w, n, defs)}
		}
		if !own {
			return nil
		}
		// Each KPI over its own window, as kpi.ComputeDefault reads it,
		// taken from the reports above when that window is one of them
		// (a KPI's value does not depend on the others computed with it).
		for i, d := range defs {
			length := d.Window
			if length == 0 {
				length = kpi.DefaultWindow
			}
			w, err := kpi.NewWindow(now, length)
			if err != nil {
				return fmt.Errorf("kpi %s: %w", d.ID, err)
			}
			rep, ok := reports[length]
			if !ok || i >= len(rep.KPIs) || rep.KPIs[i].ID != d.ID {
				rep = kpi.Compute(src, w, defs[i:i+1], nil)
				for id, s := range kpi.Series(src, w, OwnPoints, defs[i:i+1]) {
					out.ownSeries[id] = s
				}
				out.own.KPIs = append(out.own.KPIs, rep.KPIs[0])
			} else {
				out.own.KPIs = append(out.own.KPIs, rep.KPIs[i])
			}
			if w.Length > out.own.Window.Length {
				out.own.Window = w
			}
		}
		return nil
	})
	return out, err
}

// withWindows is prev with the reports and trends of the windows it was
// still computing, read at its time, and the queue's head and the alert
// list in full when prev held their first rows: the state published right
// after the first, as Gen gen. Rows read again are read as of now (a
// commit may have landed since prev): the state then carries now and new
// data (At, DataGen), so what a session shows is never stamped older than
// it is. The maps are copied, never changed (states share them).
func withWindows(r Reader, prev *State, defs []kpi.Def, gen uint64, now time.Time) *State {
	next := *prev
	keep := func(err error) {
		if err != nil && next.Err == nil {
			next.Err = err
		}
	}
	if prev.firstRows {
		var err error
		next.Queue, next.Open, next.Pending, next.outbox, err = readQueue(r, prev, QueueHead)
		keep(err)
		next.Alerts, next.Active, err = readAlerts(r, MaxAlerts)
		keep(err)
		next.At, next.DataGen, next.AlertsGen, next.firstRows = now, gen, gen, false
	}
	k, err := readKPIs(r, prev.At, prev.Computing, defs, nil, true, false)
	keep(err)
	next.Reports, next.Trends = maps.Clone(prev.Reports), maps.Clone(prev.Trends)
	maps.Copy(next.Reports, k.reports)
	maps.Copy(next.Trends, k.trends)
	next.Computing = nil
	return &next
}

// kpis is what computeKPIs reads.
type kpis struct {
	reports   map[time.Duration]kpi.Report
	trends    map[time.Duration]Trend
	own       kpi.Report
	ownSeries map[string][]*float64
}

// withLast is series with each one's last point replaced by the point of
// last; the series are copied, never changed (states share them).
func withLast(series, last map[string][]*float64) map[string][]*float64 {
	out := make(map[string][]*float64, len(series))
	for id, s := range series {
		s = append([]*float64(nil), s...)
		if p := last[id]; len(s) > 0 && len(p) == 1 {
			s[len(s)-1] = p[0]
		}
		out[id] = s
	}
	return out
}

// readQueue reads the head of the queue and the pending actions; the
// pending marks of prev are kept when the outbox did not move (reading it
// decodes every entry, contact requests too).
func readQueue(r Reader, prev *State, rows int) (head []*model.Ticket, open int, pending map[string]int, outbox [2]uint64, err error) {
	newest, err := r.st.OutboxNewest()
	if err != nil {
		return nil, 0, nil, outbox, err
	}
	n, err := r.st.OutboxLen()
	if err != nil {
		return nil, 0, nil, outbox, err
	}
	outbox = [2]uint64{newest, uint64(n)}
	if prev != nil && prev.Pending != nil && prev.outbox == outbox {
		pending = prev.Pending
	} else if pending, err = PendingTickets(r); err != nil {
		return nil, 0, nil, outbox, err
	}
	if open, err = r.OpenTickets(); err != nil {
		return nil, 0, nil, outbox, err
	}
	head, err = r.Tickets(store.TicketQuery{Limit: rows})
	return head, open, pending, outbox, err
}

// readAlerts lists active alerts newest first, then the newest resolved,
// and counts the active ones: the store's index gives the page and the
// count without decoding every alert.
func readAlerts(r Reader, n int) ([]alert.Alert, int, error) {
	return r.st.AlertFeed(n, true)
}
