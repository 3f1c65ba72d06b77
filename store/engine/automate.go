package engine

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
)

// metaCursor names the change-log sequence up to which the automations
// have run. It commits with what they wrote, so after a crash or restart
// they resume exactly after the last record they handled.
const metaCursor = "engine/cursor"

// pageSize is how many changed records one automation transaction handles.
const pageSize = 1000

// firstPageSize is how many records of the horizon one transaction of the
// first pass handles: a store that never ran the automations has a few
// days of records to look at, and each transaction ends in an fsync.
const firstPageSize = 5000

// Result counts what one Automate call did.
type Result struct {
	Records  int      // changed records looked at
	Tickets  int      // tickets written (created, escalated, routed, surveyed)
	Contacts int      // contact requests queued
	Alerts   int      // chatbot alerts fired
	Skipped  []string // effects refused as invalid (at most 10), with why
}

// Automate runs the automations on every record committed since the last
// call, page by page; each page's effects, alerts and the cursor commit in
// one transaction. What an automation makes has an id derived from the
// record that triggered it and is made only when absent, so a record seen
// again — a re-sync, a restart, the hub's copy of what this replica
// already did — changes nothing.
//
// A replica (a store kept in step with a remote by store/replica) makes the
// same tickets as its remote, which owns them and wins at the next pull,
// but queues no contact requests: the remote queues and delivers those.
func Automate(st *store.Store, set alert.Settings, replica bool, now time.Time) (Result, error) {
	var res Result
	var botRule *alert.Rule
	for i := range set.Rules {
		if set.Rules[i].KPI == alert.BotStars {
			botRule = &set.Rules[i]
		}
	}
	for {
		raw, err := st.Meta(metaCursor)
		if err != nil {
			return res, err
		}
		if raw == nil && set.Automations.Horizon > 0 {
			// A store that never ran them: only the records of the
			// horizon can trigger anything, and indexes name them.
			done, err := firstPass(st, set, botRule, replica, now, &res)
			if err != nil || done {
				return res, err
			}
			continue // another runner set the cursor meanwhile
		}
		cursor := readU64(raw)
		lines, last, more, err := st.Changes(cursor, pageSize)
		if err != nil {
			return res, err
		}
		if last == cursor {
			return res, nil
		}
		recs := make([]model.Record, 0, len(lines))
		for _, l := range lines {
			if bytes.HasPrefix(l, []byte(`{"kind":"event"`)) && !bytes.Contains(l, []byte(`"form_abandoned"`)) {
				continue // of the events, only form abandonments trigger an automation
			}
			r, err := model.ParseRecord(l)
			if err != nil {
				return res, fmt.Errorf("automations: %w: changed record: %v", store.ErrCorrupt, err)
			}
			recs = append(recs, r)
		}
		page, err := runPage(st, set, botRule, replica, now, pageOf(recs), len(lines), raw, u64(last))
		if errors.Is(err, errMoved) {
			continue
		}
		if err != nil {
			return res, err
		}
		res.add(page)
		if !more {
			return res, nil
		}
	}
}

// pageRecords gives a page its records inside its transaction; get reads
// a ticket as the transaction sees it.
type pageRecords func(get alert.Lookup) ([]model.Record, error)

// pageOf is a page of records already read.
func pageOf(recs []model.Record) pageRecords {
	return func(alert.Lookup) ([]model.Record, error) { return recs, nil }
}

// runPage runs the automations on a page of records in one transaction,
// which moves the cursor from want to next. Two runners on one store (a
// console and a sync loop) take turns: when the cursor is no longer want,
// another one committed this page, and it is not done twice (errMoved).
// next nil leaves the cursor where it is.
func runPage(st *store.Store, set alert.Settings, botRule *alert.Rule, replica bool, now time.Time,
	read pageRecords, looked int, want, next []byte) (Result, error) {
	var page Result
	_, err := st.Update(func(w *store.Writer) error {
		page = Result{Records: looked}
		if !bytes.Equal(w.Meta(metaCursor), want) {
			return errMoved
		}
		// A ticket is decoded once a page: the page's own ticket, then
		// the automations asking for it again (it may be newer than the
		// page), then an answer about it. What the page writes replaces
		// it. The automations change no ticket they are given (they
		// clone), so one copy serves them all.
		tickets := map[string]*model.Ticket{}
		get := func(id string) (*model.Ticket, bool) {
			t, ok := tickets[id]
			if !ok {
				var err error
				if t, err = w.Ticket(id); err != nil {
					t = nil
				}
				tickets[id] = t
			}
			return t, t != nil
		}
		recs, err := read(get)
		if err != nil {
			return err
		}
		for _, r := range recs {
			eff := set.Automations.On(r, get, now)
			if err := apply(w, eff, replica, &page); err != nil {
				return err
			}
			for _, t := range eff.Tickets {
				delete(tickets, t.ID) // read again, as stored, if asked
			}
			if botRule != nil && r.Feedback != nil {
				if err := botAlert(w, *botRule, r.Feedback, eff.Escalated, now, &page); err != nil {
					return err
				}
			}
		}
		if next == nil {
			return nil
		}
		return w.PutMeta(metaCursor, next)
	})
	if err != nil && !errors.Is(err, errMoved) {
		err = fmt.Errorf("automations: %w", err)
	}
	return page, err
}

// firstPass runs the automations on a store whose cursor was never set:
// on the tickets active and the answers given within the horizon (the
// only records that can trigger anything, read through the store's time
// indexes), page by page, then sets the cursor to the change-log sequence
// they were read at; later records are the next pass's. Its effects are
// idempotent, so a pass interrupted before the cursor is set is simply
// done again. done is false when another runner set the cursor first.
func firstPass(st *store.Store, set alert.Settings, botRule *alert.Rule, replica bool, now time.Time, res *Result) (done bool, err error) {
	tickets, feedback, seq, err := st.RecentIDs(now.Add(-set.Automations.Horizon))
	if err != nil {
		return false, fmt.Errorf("automations: %w", err)
	}
	type part struct {
		kind string
		ids  []string
	}
	parts := []part{{model.RecordTicket, tickets}, {model.RecordFeedback, feedback}}
	for pi, p := range parts {
		for i := 0; i < len(p.ids) || (i == 0 && pi == len(parts)-1); i += firstPageSize {
			ids := p.ids[i:min(i+firstPageSize, len(p.ids))]
			var read pageRecords
			if p.kind == model.RecordTicket {
				// Read in the page's transaction, through the page's
				// lookup: the automations ask for each ticket again.
				read = func(get alert.Lookup) ([]model.Record, error) {
					recs := make([]model.Record, 0, len(ids))
					for _, id := range ids {
						if t, ok := get(id); ok {
							recs = append(recs, model.Record{Ticket: t})
						}
					}
					return recs, nil
				}
			} else {
				recs, err := st.Records(p.kind, ids)
				if err != nil {
					return false, fmt.Errorf("automations: %w", err)
				}
				read = pageOf(recs)
			}
			var next []byte
			if pi == len(parts)-1 && i+firstPageSize >= len(p.ids) {
				next = u64(seq) // the last page sets the cursor
			}
			page, err := runPage(st, set, botRule, replica, now, read, len(ids), nil, next)
			if errors.Is(err, errMoved) {
				return false, nil
			}
			if err != nil {
				return false, err
			}
			res.add(page)
		}
	}
	return true, nil
}

func (r *Result) add(page Result) {
	r.Records += page.Records
	r.Tickets += page.Tickets
	r.Contacts += page.Contacts
	r.Alerts += page.Alerts
	for _, p := range page.Skipped {
		if len(r.Skipped) < 10 {
			r.Skipped = append(r.Skipped, p)
		}
	}
}

var errMoved = errors.New("automation cursor moved")

// apply writes one record's effects in the transaction.
func apply(w *store.Writer, eff alert.Effects, replica bool, res *Result) error {
	for _, t := range eff.Tickets {
		r := model.Record{Ticket: t}
		if err := model.CheckRecord(r); err != nil {
			// A derived ticket that cannot be stored (an answer id too
			// long to prefix, say) must not stop every later automation.
			res.Skipped = append(res.Skipped, err.Error())
			continue
		}
		if err := w.Put(r); err != nil {
			return err
		}
		res.Tickets++
	}
	if replica {
		return nil
	}
	for _, c := range eff.Contacts {
		payload, err := json.Marshal(c)
		if err != nil {
			return err
		}
		queued, err := w.Enqueue(store.OutboxContact, c.Key, payload, c.At)
		if err != nil {
			return err
		}
		if queued {
			res.Contacts++
		}
	}
	return nil
}

func botAlert(w *store.Writer, r alert.Rule, f *model.Feedback, human string, now time.Time, res *Result) error {
	key := r.ID + "/" + f.ID
	prev, err := w.Alert(key)
	if err != nil {
		return err
	}
	next, changed := alert.EvaluateFeedback(r, f, human, prev, now)
	if !changed {
		return nil
	}
	res.Alerts++
	return w.PutAlert(*next)
}

func u64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

func readU64(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

// Unseen is how many change-log entries the automations have not looked at
// yet: a large number means the next Automate call takes a while. A store
// that never ran them has none unseen: their first pass reads only the
// records of their horizon (firstPass).
func Unseen(st *store.Store) (uint64, error) {
	raw, err := st.Meta(metaCursor)
	if err != nil || raw == nil {
		return 0, err
	}
	seq, err := st.Seq()
	if err != nil {
		return 0, err
	}
	return seq - min(readU64(raw), seq), nil
}

// Position is where the automations stand in the store's change log:
// the sequence they have handled (0 before their first run) and the
// store's latest, for a progress report of a long first pass.
func Position(st *store.Store) (done, seq uint64, err error) {
	raw, err := st.Meta(metaCursor)
	if err != nil {
		return 0, 0, err
	}
	if seq, err = st.Seq(); err != nil {
		return 0, 0, err
	}
	return min(readU64(raw), seq), seq, nil
}
