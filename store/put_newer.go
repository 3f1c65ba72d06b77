package store

import "github.com/cxtop/cxtop/model"

// PutNewer is Put with the rule sync and import share: a ticket the store
// holds in a newer version is left alone (reports false), so an older copy
// — a stale page, an old backup — never overwrites a newer one.
func (w *Writer) PutNewer(r model.Record) (bool, error) {
	if r.Ticket != nil {
		if local, err := w.Ticket(r.Ticket.ID); err == nil && local.Version > r.Ticket.Version {
			return false, nil
		}
	}
	return true, w.Put(r)
}
