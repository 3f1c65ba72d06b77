package hub

import (
	"context"
	"fmt"
	"time"

	"github.com/cxtop/cxtop/model"
)

// StepFunc returns the records that happen between from and to: a live
// simulator's Step with its rate bound in.
type StepFunc func(from, to time.Time) []model.Record

// Simulate appends step's records to the hub's store every interval until
// ctx ends, one transaction per tick. It returns ctx's end as nil, a write
// error otherwise.
func (s *Server) Simulate(ctx context.Context, every time.Duration, step StepFunc) error {
	if every <= 0 {
		every = time.Second
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	from := s.opt.Now()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		to := s.opt.Now()
		recs := step(from, to)
		from = to
		if len(recs) == 0 {
			continue
		}
		if _, err := s.st.Write(recs); err != nil {
			return fmt.Errorf("hub: simulate: %w", err)
		}
	}
}
