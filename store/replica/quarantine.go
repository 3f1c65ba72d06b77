package replica

import (
	"encoding/json"
	"fmt"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
)

// Remapper is a remote whose quarantined raw records can be mapped again
// (after an upgrade that understands them, or a taxonomy that accepts them).
type Remapper interface {
	// Remap turns one raw record the remote sent into records and
	// deletions, or says why it still cannot.
	Remap(raw json.RawMessage) (*Page, error)
}

// RetryResult counts what RetryQuarantine did.
type RetryResult struct {
	Applied int // records now in the store
	Left    int // still quarantined (with the new reason)
}

// RetryQuarantine re-applies the quarantined records of this client's
// source, in one transaction: those that now map and validate land (the
// newer version wins, as in a pull), the others stay with their new reason.
func (c *Client) RetryQuarantine() (RetryResult, error) {
	var res RetryResult
	list, err := c.st.QuarantineList(0)
	if err != nil {
		return res, err
	}
	_, err = c.st.Update(func(w *store.Writer) error {
		for _, q := range list {
			if q.Source != c.opt.Source {
				continue
			}
			p, err := c.remap(q)
			if err == nil {
				for _, r := range p.Records {
					if err = c.opt.Taxonomy.Validate(r); err != nil {
						break
					}
				}
			}
			if err == nil && len(p.Quarantined) > 0 {
				err = fmt.Errorf("%s", p.Quarantined[0].Reason)
			}
			if err != nil {
				q.Reason = err.Error()
				q.At = c.opt.Now().UTC()
				res.Left++
				if err := w.Quarantine(q); err != nil {
					return err
				}
				continue
			}
			for _, r := range p.Records {
				if r.Ticket != nil {
					if local, err := w.Ticket(r.Ticket.ID); err == nil && local.Version > r.Ticket.Version {
						continue
					}
				}
				if err := w.Put(r); err != nil {
					return fmt.Errorf("quarantined %s %s: %w", q.Kind, q.ID, err)
				}
			}
			for _, d := range p.Deleted {
				if _, err := w.Delete(d.Kind, d.ID); err != nil {
					return err
				}
			}
			if err := w.DropQuarantined(q); err != nil {
				return err
			}
			res.Applied++
		}
		return nil
	})
	if err != nil {
		return RetryResult{}, fmt.Errorf("retry the quarantine of %s: %w", c.st.Path(), err)
	}
	return res, nil
}

func (c *Client) remap(q store.Quarantined) (*Page, error) {
	if q.Mapped {
		r, err := model.ParseRecord(q.Raw)
		if err != nil {
			return nil, err
		}
		return &Page{Records: []model.Record{r}}, nil
	}
	rm, ok := c.remote.(Remapper)
	if !ok {
		return nil, fmt.Errorf("%s cannot map quarantined records again", c.remote.Name())
	}
	return rm.Remap(q.Raw)
}
