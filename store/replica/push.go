package replica

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
)

// push delivers the outbox's triage actions, oldest first. Each answer is
// settled in one transaction: the remote's ticket (when it sent one)
// replaces the local one, the entry is acknowledged and the status
// counts it. On a conflict the remote's version wins; the refused change
// stays visible in the ticket's history (the hub records it as a
// "conflict" entry) and in the status.
//
// It pages through the outbox by sequence, so actions queued behind any
// number of entries of other kinds (contact requests) are still reached.
func (c *Client) push(ctx context.Context) error {
	var after uint64
page:
	for {
		entries, err := c.st.OutboxAfter(after, pushPage)
		if err != nil {
			return fmt.Errorf("read the outbox: %w", err)
		}
		for _, e := range entries {
			after = e.Seq
			if e.Kind != store.OutboxAction {
				continue // other kinds are delivered by the automations that queue them
			}
			var a model.Action
			if err := json.Unmarshal(e.Payload, &a); err != nil {
				return fmt.Errorf("outbox entry %d (%s) is not a triage action: %v", e.Seq, e.Key, err)
			}
			var res *PushResult
			err := c.retry(ctx, fmt.Sprintf("push action %s on ticket %s to %s", a.ID, a.TicketID, c.remote.Name()), func() error {
				var err error
				res, err = c.remote.Push(ctx, a)
				return err
			})
			if errors.Is(err, ErrPushUnsupported) {
				return nil // stays pending; the status shows the count
			}
			if err != nil {
				return err
			}
			if err := c.settle(e, a, res); err != nil {
				return err
			}
			if res.Outcome == PushApplied && res.Stamp != "" {
				// Settling rebased the actions queued behind this one on
				// the ticket's new stamp: read them again.
				continue page
			}
		}
		if len(entries) < pushPage {
			return nil
		}
	}
}

// pushPage is how many outbox entries one read takes.
const pushPage = 100

func (c *Client) settle(e store.OutboxEntry, a model.Action, res *PushResult) error {
	c.mu.Lock()
	s := c.status
	c.mu.Unlock()
	s.LastSuccess = c.opt.Now()
	switch res.Outcome {
	case PushApplied:
		s.Pushed++
	case PushConflict:
		s.Conflicts++
		s.LastConflict = fmt.Sprintf("action %s on ticket %s: %s", a.ID, a.TicketID, res.Message)
		c.opt.Logf("sync: conflict: %s", s.LastConflict)
	default:
		s.Conflicts++
		s.LastConflict = fmt.Sprintf("action %s on ticket %s refused: %s", a.ID, a.TicketID, res.Message)
		c.opt.Logf("sync: %s", s.LastConflict)
	}
	state, err := json.Marshal(s)
	if err != nil {
		return err
	}
	_, err = c.st.Update(func(w *store.Writer) error {
		if res.Ticket != nil {
			if err := w.Put(model.Record{Ticket: res.Ticket}); err != nil {
				return fmt.Errorf("ticket %s from %s: %w", a.TicketID, c.remote.Name(), err)
			}
		}
		if res.Outcome == PushApplied && res.Stamp != "" {
			if err := w.AdvanceStamp(a.TicketID, a.BaseStamp, res.Stamp); err != nil {
				return err
			}
		}
		if err := w.AckOutbox(e.Seq); err != nil {
			return err
		}
		return w.PutMeta(metaStatus, state)
	})
	if err != nil {
		return fmt.Errorf("settle action %s: %w", a.ID, err)
	}
	c.setStatus(s)
	return nil
}
