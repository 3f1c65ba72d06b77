package main

import (
	"fmt"
	"io"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/tui"
)

// benchFirstFrame measures, on the store at path, the open and the first
// complete 200×60 console frame (every pane's data loaded, then drawn),
// median of five, and prints the rows of the bench table.
func benchFirstFrame(out io.Writer, path string, cfg model.Config) error {
	var opens, states, takes, views []time.Duration
	for i := 0; i < 5; i++ {
		start := time.Now()
		s, err := store.Open(path, store.Options{ReadOnly: true})
		if err != nil {
			return fmt.Errorf("bench first frame: %w", err)
		}
		opens = append(opens, time.Since(start))
		f, err := tui.MeasureFirstFrame(s, cfg, 200, 60)
		s.Close()
		if err != nil {
			return fmt.Errorf("bench first frame: %w", err)
		}
		states, takes, views = append(states, f.State), append(takes, f.Take), append(views, f.View)
	}
	fmt.Fprintf(out, "| console: the engine's first state: KPIs and trends of 4 windows, queue head, alerts (median of 5) | %s | | |\n", median(states))
	fmt.Fprintf(out, "| console: a 200×60 session takes that state (median of 5) | %s | | |\n", median(takes))
	fmt.Fprintf(out, "| console: View of that frame (median of 5) | %s | | |\n", median(views))
	fmt.Fprintf(out, "| open + first complete console frame | %s | target 50ms | |\n",
		median(opens)+median(states)+median(takes)+median(views))
	return nil
}
