package store

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cxtop/cxtop/model"
)

// AdvanceStamp records that the remote moved a ticket's stamp (Zendesk's
// updated_at, sent back as updated_stamp) from "from" to "to" because it
// applied one of our own triage actions. The local ticket, when it still
// holds the version stamped "from", takes the new stamp, so an action
// taken later is based on it; and every action still queued for that
// ticket with base stamp "from" is rebased to "to", so the next push —
// in this process or after a restart — is checked against the version our
// own change produced, not refused as a conflict with itself. Both happen
// in the transaction that acknowledges the pushed action.
//
// An action queued on a version someone else changed keeps its old stamp
// and still meets the remote's conflict check.
func (w *Writer) AdvanceStamp(ticketID, from, to string) error {
	if to == "" || to == from {
		return nil
	}
	t, err := w.Ticket(ticketID)
	switch {
	case errors.Is(err, ErrNoSuchKey):
	case err != nil:
		return err
	case t.SourceStamp == from:
		t.SourceStamp = to
		if err := w.Put(model.Record{Ticket: t}); err != nil {
			return fmt.Errorf("ticket %s: new stamp: %w", ticketID, err)
		}
	}
	ob := w.tx.Bucket(bucketOutbox)
	// Only this ticket's actions are read (the action index, schema 3):
	// the outbox may hold many thousand contact requests besides.
	seqs, err := w.pendingActionSeqs(ticketID)
	if err != nil {
		return err
	}
	changed := 0
	for _, k := range seqs {
		v := ob.Get(k)
		if v == nil {
			return fmt.Errorf("%w: outbox action %d is indexed but not queued: run 'cxtop check'", ErrCorrupt, readU64(k))
		}
		var e OutboxEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("%w: outbox entry %d: %v", ErrCorrupt, readU64(k), err)
		}
		if e.Kind != OutboxAction {
			continue
		}
		var a model.Action
		if err := json.Unmarshal(e.Payload, &a); err != nil {
			return fmt.Errorf("%w: outbox entry %d is not a triage action: %v", ErrCorrupt, e.Seq, err)
		}
		if a.TicketID != ticketID || a.BaseStamp != from {
			continue
		}
		a.BaseStamp = to
		if e.Payload, err = json.Marshal(a); err != nil {
			return err
		}
		nv, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if err := ob.Put(k, nv); err != nil {
			return err
		}
		changed++
	}
	if changed > 0 {
		w.change.Meta = true
	}
	return nil
}
