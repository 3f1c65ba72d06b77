package tui

import (
	"strings"
	"testing"

	"github.com/cxtop/cxtop/model"
)

// The ID column fits the ids on screen: ten escalations are ten different
// rows, not ten "esc-F0003…".
func TestQueueIDColumnFitsTheIDs(t *testing.T) {
	var shown []*model.Ticket
	for _, id := range []string{"esc-F00032342", "esc-F00032376", "fu-F00000123", "T00000001"} {
		shown = append(shown, &model.Ticket{ID: id, Priority: "high", Subject: "Chatbot conversation rated 1★"})
	}
	for _, w := range []int{60, 100, 160} {
		cols := queueColumnsFor(w, shown)
		for _, tk := range shown {
			row := queueRow(cols, w, queueCells(cols, tk, testNow, false, false))
			if !strings.Contains(row, tk.ID+" ") {
				t.Errorf("width %d: the row does not show the whole id %s: %q", w, tk.ID, row)
			}
		}
	}
	short := queueColumnsFor(100, shown[3:])
	if short[0].width != 10 {
		t.Errorf("plain ids keep the 10-cell column, got %d", short[0].width)
	}
	long := &model.Ticket{ID: strings.Repeat("x", 60)}
	if cols := queueColumnsFor(100, []*model.Ticket{long}); cols[0].width != maxIDWidth {
		t.Errorf("a 60-character id widens the column to %d, want the cap %d", cols[0].width, maxIDWidth)
	}
}
