package engine

import (
	"strings"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
)

// What one evaluation reads, on a store with the indexes of schema 2: the
// open tickets old enough for a ticket rule to judge (the index of open
// tickets by creation time), and of those only the ones whose decision can
// change; the stored alerts only when a decision needs them. A million-
// ticket store took ~0.5 s an evaluation when every open ticket and every
// alert was decoded (docs/PERFORMANCE.md, "alerts").

// storedAlerts reads stored alerts by key, each at most once.
type storedAlerts struct {
	st   *store.Store
	read map[string]*alert.Alert
	err  error
}

func (p *storedAlerts) get(key string) *alert.Alert {
	if a, ok := p.read[key]; ok {
		return a
	}
	a, err := p.st.Alert(key)
	if err != nil && p.err == nil {
		p.err = err
	}
	p.read[key] = a
	return a
}

// aboveOnly reports whether every ticket rule fires above its threshold
// (the built-in ones do): then a ticket younger than a rule's threshold
// cannot breach it, and the index range before the threshold is all the
// rule has to read.
func aboveOnly(rules []alert.Rule) bool {
	for _, r := range rules {
		if r.Op == alert.Below {
			return false
		}
	}
	return true
}

// cutoff is the creation time after which an open ticket cannot breach r
// at now, hysteresis included; ok is false for a rule that does not judge
// open tickets by their age.
func cutoff(r alert.Rule, now time.Time) (time.Time, bool) {
	limit := r.Threshold - r.Hysteresis
	switch r.KPI {
	case alert.TicketAgeDays:
		return now.Add(-time.Duration(limit * 24 * float64(time.Hour))), true
	case alert.FollowUpWaitHours:
		return now.Add(-time.Duration(limit * float64(time.Hour))), true
	}
	return time.Time{}, false
}

// oldOpenTickets decodes the open tickets a ticket rule could decide
// about now. An open ticket past a rule's age limit whose alert is already
// active stays late (it only grows older while it stays open), so it is
// marked seen and not decoded; a follow-up ticket is decoded, as a contact
// resolves its alert.
func oldOpenTickets(st *store.Store, rules []alert.Rule, active, seen map[string]bool, now time.Time) ([]*model.Ticket, error) {
	var latest time.Time
	cuts := make([]time.Time, len(rules))
	ok := make([]bool, len(rules))
	for i, r := range rules {
		if cuts[i], ok[i] = cutoff(r, now); ok[i] && cuts[i].After(latest) {
			latest = cuts[i]
		}
	}
	list, indexed, err := st.OpenCreatedBefore(latest)
	if err != nil || !indexed {
		return nil, err
	}
	var decode []string
	for _, e := range list {
		need := false
		for i, r := range rules {
			if !ok[i] || !e.CreatedAt.Before(cuts[i]) {
				continue
			}
			switch r.KPI {
			case alert.TicketAgeDays:
				key := r.ID + "/" + e.ID
				if active[key] {
					seen[key] = true
				} else {
					need = true
				}
			case alert.FollowUpWaitHours:
				if strings.HasPrefix(e.ID, alert.FollowUpPrefix) {
					need = true
				}
			}
		}
		if need {
			decode = append(decode, e.ID)
		}
	}
	recs, err := st.Records(model.RecordTicket, decode)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Ticket, 0, len(recs))
	for _, r := range recs {
		out = append(out, r.Ticket)
	}
	return out, nil
}

// activeToCheck decodes the active alerts the evaluation has not decided
// on yet. On a store without the alert index (active nil) that is every
// active alert. After a batch (batch set), an alert whose ticket its key
// names (the age rule's key ends in the ticket id, the follow-up rule's in
// the answer its ticket follows up) is skipped unless that ticket is named;
// the chatbot rule's alerts name their ticket only inside.
func activeToCheck(st *store.Store, active, seen map[string]bool, byID map[string]alert.Rule, batch bool, named map[string]bool, prev *storedAlerts) ([]alert.Alert, error) {
	if active == nil {
		return st.Alerts(false)
	}
	var out []alert.Alert
	for key := range active {
		if seen[key] {
			continue
		}
		rule, rest, _ := strings.Cut(key, "/")
		if batch {
			switch byID[rule].KPI {
			case alert.TicketAgeDays:
				if !named[rest] {
					continue
				}
			case alert.FollowUpWaitHours:
				if !named[alert.FollowUpPrefix+rest] {
					continue
				}
			}
		}
		if a := prev.get(key); a != nil {
			out = append(out, *a)
		}
	}
	return out, prev.err
}
