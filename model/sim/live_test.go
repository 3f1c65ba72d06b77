package sim

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/model/alert"
)

// runLive steps l every step from t0 for n steps and returns all records.
func runLive(t testing.TB, l *Live, t0 time.Time, step time.Duration, n int, rate float64) []model.Record {
	var all []model.Record
	for i := range n {
		from := t0.Add(time.Duration(i) * step)
		to := from.Add(step)
		recs := l.Step(from, to, rate)
		for _, r := range recs {
			var at time.Time
			switch {
			case r.Ticket != nil:
				at = r.Ticket.UpdatedAt
			case r.Feedback != nil:
				at = r.Feedback.At
			default:
				at = r.Event.At
			}
			if !at.After(from) && r.Ticket == nil || at.After(to) {
				t.Fatalf("step (%s, %s]: %s %s at %s", from, to, r.Kind(), r.ID(), at)
			}
		}
		all = append(all, recs...)
	}
	return all
}

func TestLive(t *testing.T) {
	tax := model.DefaultTaxonomy()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	l := NewLive(9, tax, "L1-")
	recs := runLive(t, l, t0, time.Second, 1800, 10)
	versions := map[string]uint64{}
	seen := map[string]bool{}
	var updates, done, created int
	for _, r := range recs {
		if err := tax.Validate(r); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(strings.TrimPrefix(r.ID(), alert.FollowUpPrefix), "L1-") {
			t.Fatalf("id %s lacks the prefix", r.ID())
		}
		if tk := r.Ticket; tk != nil {
			checkTicket(t, &tax, tk, tk.UpdatedAt)
			prev, ok := versions[tk.ID]
			switch {
			case !ok && tk.History[len(tk.History)-1].At.Equal(tk.CreatedAt):
				created++
			case !ok:
				t.Fatalf("first record of ticket %s is version %d, updated %s after creation", tk.ID, tk.Version, tk.UpdatedAt.Sub(tk.CreatedAt))
			case tk.Version <= prev:
				t.Fatalf("ticket %s: version %d after %d", tk.ID, tk.Version, prev)
			default:
				updates++
			}
			versions[tk.ID] = tk.Version
			if tk.Status == model.StatusDone {
				done++
			}
			continue
		}
		key := r.Kind() + "/" + r.ID()
		if seen[key] {
			t.Fatalf("duplicate %s", key)
		}
		seen[key] = true
	}
	if created == 0 || updates < created || done == 0 {
		t.Fatalf("%d tickets created, %d updates, %d done: want tickets moving through their statuses", created, updates, done)
	}
	// Same seed, same calls: same records.
	again := runLive(t, NewLive(9, tax, "L1-"), t0, time.Second, 1800, 10)
	if !bytes.Equal(encode(recs), encode(again)) {
		t.Fatal("same seed and calls gave different records")
	}
	// Another prefix: no id in common.
	for _, r := range runLive(t, NewLive(9, tax, "L2-"), t0, time.Second, 300, 10) {
		if r.Ticket == nil && seen[r.Kind()+"/"+r.ID()] || versions[r.ID()] != 0 {
			t.Fatalf("id %s of another prefix collides", r.ID())
		}
	}
}

// TestLiveRate: over a long run the new records (all but ticket updates)
// arrive at about the asked rate.
func TestLiveRate(t *testing.T) {
	l := NewLive(1, model.DefaultTaxonomy(), "X")
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	const rate, steps, step = 4.0, 720, 10 * time.Second // two hours
	n := 0
	seenTicket := map[string]bool{}
	for _, r := range runLive(t, l, t0, step, steps, rate) {
		if r.Ticket != nil {
			if seenTicket[r.ID()] {
				continue
			}
			seenTicket[r.ID()] = true
		}
		n++
	}
	got := float64(n) / (steps * step.Seconds())
	if got < 0.8*rate || got > 1.2*rate {
		t.Fatalf("%.2f new records/s, want about %.1f", got, rate)
	}
	t.Logf("%.2f new records/s at rate %.1f", got, rate)
}

// TestLiveEdges: empty and sub-second intervals, a zero start, odd rates.
func TestLiveEdges(t *testing.T) {
	l := NewLive(1, model.Taxonomy{}, "")
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	if r := l.Step(now, now, 100); len(r) != 0 {
		t.Fatalf("empty interval gave %d records", len(r))
	}
	if r := l.Step(now.Add(100*time.Millisecond), now.Add(900*time.Millisecond), 100); len(r) != 0 {
		t.Fatalf("interval without a whole second gave %d records", len(r))
	}
	// From the zero time: at most the last hour, not centuries.
	r := l.Step(time.Time{}, now, 1)
	if len(r) == 0 || len(r) > 3*3600 {
		t.Fatalf("first step from zero time gave %d records", len(r))
	}
	for _, rate := range []float64{0, -1, 1e300} {
		_ = l.Step(now, now.Add(time.Second), rate)
	}
	if !strings.HasPrefix(r[0].ID(), "L") {
		t.Fatalf("default prefix: id %s", r[0].ID())
	}
}
