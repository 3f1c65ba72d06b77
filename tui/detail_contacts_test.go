package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store/deliver"
)

func TestContactLines(t *testing.T) {
	at := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	got := contactLines([]deliver.Request{
		{Contact: alert.Contact{Purpose: alert.PurposeFollowUp, Channel: alert.ChannelZaloZNS, At: at}, Status: deliver.StatusSent, Attempts: 1},
		{Contact: alert.Contact{Purpose: alert.PurposeSurvey, Channel: alert.ChannelEmail, At: at}, Status: deliver.StatusDead, Attempts: 5, Reason: "email: 421 busy\x1b[2J"},
	}, 100)
	want := []string{
		"  Nov 02 09:30  follow_up         zalo_zns sent                 ",
		"  Nov 02 09:30  survey            email    dead (5 tries)       email: 421 busy",
	}
	for i := range want {
		if strings.TrimRight(got[i], " ") != strings.TrimRight(want[i], " ") {
			t.Errorf("line %d:\n got %q\nwant %q", i, got[i], want[i])
		}
	}
}
