package main

import (
	"fmt"
	"io"
	"time"

	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/tui"
)

// benchFirstFrame measures, on the store at path, the open and the first
// complete 200×60 console frame (every pane's data loaded, then drawn),
// median of five, and prints the rows of the bench table.
func benchFirstFrame(out io.Writer, path string, cfg tui.Config) error {
	var opens, loads, alerts, views []time.Duration
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
		loads, alerts, views = append(loads, f.Load), append(alerts, f.Alerts), append(views, f.View)
	}
	fmt.Fprintf(out, "| console: load the queue, KPIs and trends of a 200×60 frame (median of 5) | %s | | |\n", median(loads))
	fmt.Fprintf(out, "| console: load the alert list, beside it (median of 5) | %s | | |\n", median(alerts))
	fmt.Fprintf(out, "| console: View of that frame (median of 5) | %s | | |\n", median(views))
	fmt.Fprintf(out, "| open + first complete console frame | %s | target 50ms | |\n",
		median(opens)+max(median(loads), median(alerts))+median(views))
	return nil
}
