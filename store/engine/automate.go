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
			if bytes.HasPrefix(l, []byte(`{"kind":"event"`)) {
				continue // no automation reads events
			}
			r, err := model.ParseRecord(l)
			if err != nil {
				return res, fmt.Errorf("automations: %w: changed record: %v", store.ErrCorrupt, err)
			}
			recs = append(recs, r)
		}
		var page Result
		_, err = st.Update(func(w *store.Writer) error {
			page = Result{Records: len(lines)}
			// Two runners on one store (a console and a sync loop) take
			// turns: a page another one committed is not done twice.
			raw := w.Meta(metaCursor)
			if readU64(raw) != cursor {
				return errMoved
			}
			get := func(id string) (*model.Ticket, bool) {
				t, err := w.Ticket(id)
				return t, err == nil
			}
			for _, r := range recs {
				eff := set.Automations.On(r, get, now)
				if err := apply(w, eff, replica, &page); err != nil {
					return err
				}
				if botRule != nil && r.Feedback != nil {
					if err := botAlert(w, *botRule, r.Feedback, eff.Escalated, now, &page); err != nil {
						return err
					}
				}
			}
			return w.PutMeta(metaCursor, u64(last))
		})
		if errors.Is(err, errMoved) {
			continue
		}
		if err != nil {
			return res, fmt.Errorf("automations: %w", err)
		}
		res.Records += page.Records
		res.Tickets += page.Tickets
		res.Contacts += page.Contacts
		res.Alerts += page.Alerts
		for _, p := range page.Skipped {
			if len(res.Skipped) < 10 {
				res.Skipped = append(res.Skipped, p)
			}
		}
		if !more {
			return res, nil
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
// yet: a large number (a store that never ran them) means the next
// Automate call takes a while.
func Unseen(st *store.Store) (uint64, error) {
	raw, err := st.Meta(metaCursor)
	if err != nil {
		return 0, err
	}
	seq, err := st.Seq()
	if err != nil {
		return 0, err
	}
	return seq - min(readU64(raw), seq), nil
}
