package main

import (
	"strings"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/model/privacy"
	"github.com/cxtop/cxtop/store"
)

// maskCopy replaces the personal data of a snapshot's copy with stable
// pseudonyms under a fresh key that is thrown away: the snapshot can leave
// the team, and nobody can map its pseudonyms back. Every record goes
// through the store's write path, so indexes and per-customer counters
// follow the new names and every KPI reads as on the original. Free text
// loses the names of every record, not only its own. Alert
// messages lose the customers they name; what waited for the remote is
// dropped.
func maskCopy(cp *store.Store, info *store.SnapshotInfo) error {
	key, err := privacy.NewKey()
	if err != nil {
		return err
	}
	m, err := privacy.New(key)
	if err != nil {
		return err
	}
	// Every record's people first: a record's free text may name a
	// customer or colleague another record introduces.
	names := privacy.NewNames()
	for _, kind := range []string{"ticket", "feedback", "event"} {
		err := cp.ForEach(kind, func(r model.Record) error {
			names.AddRecord(r)
			return nil
		})
		if err != nil {
			return err
		}
	}
	m.KnowNames(names)
	customers := map[string]bool{}
	err = cp.RewriteRecords(func(r model.Record) {
		switch {
		case r.Ticket != nil:
			customers[r.Ticket.CustomerID] = true
		case r.Feedback != nil:
			customers[r.Feedback.CustomerID] = true
		case r.Event != nil:
			customers[r.Event.CustomerID] = true
		}
		m.Record(r)
	})
	if err != nil {
		return err
	}
	delete(customers, "")
	err = cp.RewriteAlerts(func(a *alert.Alert) {
		a.Message = m.Text(renameWords(a.Message, customers, m.Customer))
		a.AckedBy = m.Staff(a.AckedBy)
	})
	if err != nil {
		return err
	}
	if err := cp.DropPending(); err != nil {
		return err
	}
	info.Masked = true
	return nil
}

// renameWords replaces each word of s that is in names (punctuation around
// it aside) with rename(word).
func renameWords(s string, names map[string]bool, rename func(string) string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		core := strings.Trim(w, "()[],.:;")
		if core != "" && names[core] {
			words[i] = strings.Replace(w, core, rename(core), 1)
		}
	}
	return strings.Join(words, " ")
}
