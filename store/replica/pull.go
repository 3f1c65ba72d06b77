package replica

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
)

// MaxEmptyPages bounds the empty pages in a row a pull follows.
const MaxEmptyPages = 100

// pull applies pages from the stored cursor until the remote has no more.
// An expired cursor restarts from the beginning once: records already held
// are skipped as identical, so nothing is lost or counted twice.
func (c *Client) pull(ctx context.Context) (err error) {
	cursor, err := ReadCursor(c.st)
	if err != nil {
		return err
	}
	if c.opt.BulkLoad {
		// Each page's cursor still commits with its records, so an
		// interrupted load resumes after the last page that landed.
		bulk, berr := c.st.BeginBulkLoad()
		if berr != nil {
			return berr
		}
		if bulk {
			defer func() {
				if ctx.Err() != nil {
					return // the next writable open builds it (store.OnBulkResume)
				}
				if ferr := c.st.FinishBulkLoad(); err == nil {
					err = ferr
				}
			}()
		}
	}
	err = c.pullFrom(ctx, cursor)
	if errors.Is(err, ErrCursorExpired) && cursor != "" {
		c.opt.Logf("sync: %s: %v: starting again from the beginning (records already here are skipped)", c.remote.Name(), err)
		err = c.pullFrom(ctx, "")
	}
	return err
}

type fetched struct {
	page *Page
	prep *store.Prepared // the page's records, prepared while the previous page commits
	err  error
}

// pullFrom fetches and validates the next page while the previous one
// commits: the network, parsing and the store work in parallel, and pages
// still commit strictly in order.
func (c *Client) pullFrom(ctx context.Context, cursor string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan fetched, 1)
	go func() {
		defer close(pages)
		cur := cursor
		empty := 0 // pages in a row with no record that say there is more
		for {
			var p *Page
			err := c.retry(ctx, fmt.Sprintf("pull from %s after cursor %q", c.remote.Name(), cur), func() error {
				var err error
				if p, err = c.remote.Pull(ctx, cur, c.opt.PageSize); err != nil {
					return err
				}
				if p.HasMore && p.Next == cur && len(p.Records) == 0 {
					// It would be asked the same thing forever.
					return &PageError{Index: -1, Err: fmt.Errorf("the remote says there is more but its next cursor is the one it was given (%q)", cur)}
				}
				if p.HasMore && len(p.Records) == 0 && len(p.Deleted) == 0 && len(p.Quarantined) == 0 {
					if empty++; empty >= MaxEmptyPages {
						// A new cursor each time, and never a record: a
						// broken or hostile remote would keep --once going forever.
						return permanent{&PageError{Index: -1, Err: fmt.Errorf("the remote answered %d empty pages in a row, each saying there is more: stopping", empty)}}
					}
				} else {
					empty = 0
				}
				return c.validate(p)
			})
			f := fetched{page: p, err: err}
			if err == nil {
				f.prep = c.st.Prepare(p.Records)
			}
			select {
			case pages <- f:
			case <-ctx.Done():
				f.prep.Release()
				return
			}
			if err != nil || !p.HasMore {
				return
			}
			cur = p.Next
		}
	}()
	// A page not committed (an error, or the context ending) stops its
	// preparation; the fetcher stops with the context, without anyone
	// waiting for it.
	defer func() {
		cancel()
		go func() {
			for f := range pages {
				f.prep.Release()
			}
		}()
	}()
	for f := range pages {
		if f.err != nil {
			return f.err
		}
		if err := c.commit(f.page, f.prep); err != nil {
			return err
		}
		if !f.page.HasMore {
			return nil
		}
	}
	return ctx.Err()
}

// validate checks every record of a page against the taxonomy. A record
// that fails is moved to the page's quarantine with the reason: the rest of
// the page lands and the cursor moves on.
func (c *Client) validate(p *Page) error {
	kept := p.Records[:0]
	for _, r := range p.Records {
		if err := c.opt.Taxonomy.Validate(r); err != nil {
			p.Quarantined = append(p.Quarantined, store.Quarantined{
				Source: c.opt.Source, Kind: r.Kind(), ID: r.ID(), Reason: err.Error(),
				Mapped: true, Raw: model.AppendRecord(nil, r), At: c.opt.Now().UTC(),
			})
			continue
		}
		kept = append(kept, r)
	}
	p.Records = kept
	for i := range p.Quarantined {
		if p.Quarantined[i].Source == "" {
			p.Quarantined[i].Source = c.opt.Source
		}
		if p.Quarantined[i].At.IsZero() {
			p.Quarantined[i].At = c.opt.Now().UTC()
		}
	}
	return nil
}

// commit writes a page, its cursor and the new status in one transaction.
// A ticket the store holds in a newer version (a local triage action not
// yet pushed) is left alone: the push settles it.
func (c *Client) commit(p *Page, prep *store.Prepared) error {
	defer prep.Release()
	now := c.opt.Now()
	c.mu.Lock()
	s := c.status
	c.mu.Unlock()
	s.Records += uint64(len(p.Records))
	s.Deleted += uint64(len(p.Deleted))
	s.QuarantinedTotal += uint64(len(p.Quarantined))
	s.LastSuccess = now
	s.LastError, s.LastErrorAt = "", time.Time{}
	if !p.HasMore {
		s.CaughtUpAt = now
	}
	state, err := json.Marshal(s)
	if err != nil {
		return err
	}
	var remoteState []byte
	if sr, ok := c.remote.(statefulRemote); ok {
		remoteState, _ = sr.State()
	}
	_, err = c.st.Update(func(w *store.Writer) error {
		if remoteState != nil {
			if err := w.PutMeta(metaRemoteState, remoteState); err != nil {
				return err
			}
		}
		// The page's records are prepared on a second goroutine while
		// this one decides each against the stored version and puts it.
		i, err := w.PutPrepared(prep, func(_ int, r model.Record) (model.Record, bool, error) {
			if r.Ticket != nil {
				local, err := w.Ticket(r.Ticket.ID)
				if err == nil && local.Version > r.Ticket.Version {
					return r, false, nil
				}
				if err == nil {
					r.Ticket = keepConflicts(local, r.Ticket)
				}
			}
			return r, true, w.Unquarantine(c.opt.Source, r.Kind(), r.ID())
		})
		if err != nil {
			r := p.Records[i]
			return fmt.Errorf("record %d (%s %s): %w", i, r.Kind(), r.ID(), err)
		}
		for _, d := range p.Deleted {
			if _, err := w.Delete(d.Kind, d.ID); err != nil {
				return err
			}
			if err := w.Unquarantine(c.opt.Source, d.Kind, d.ID); err != nil {
				return err
			}
		}
		for _, q := range p.Quarantined {
			if err := w.Quarantine(q); err != nil {
				return err
			}
			c.opt.Logf("sync: quarantined %s %s from %s: %s", q.Kind, q.ID, c.remote.Name(), q.Reason)
		}
		if err := w.PutMeta(metaCursor, []byte(p.Next)); err != nil {
			return err
		}
		return w.PutMeta(metaStatus, state)
	})
	if err != nil {
		return fmt.Errorf("apply a page from %s: %w", c.remote.Name(), err)
	}
	c.setStatus(s)
	if c.opt.Progress != nil {
		c.opt.Progress(s)
	}
	return nil
}

// keepConflicts carries the local ticket's "conflict" history entries
// over to the remote's version when the remote does not keep them itself
// (Zendesk): a refused action stays visible after the next pull.
func keepConflicts(local, remote *model.Ticket) *model.Ticket {
	var add []model.Change
	for _, h := range local.History {
		if h.Field == "conflict" && !slices.Contains(remote.History, h) {
			add = append(add, h)
		}
	}
	if len(add) == 0 {
		return remote
	}
	t := remote.Clone()
	t.History = append(t.History, add...)
	slices.SortStableFunc(t.History, func(a, b model.Change) int { return a.At.Compare(b.At) })
	return t
}
