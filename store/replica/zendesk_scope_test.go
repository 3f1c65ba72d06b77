package replica

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/cxtop/cxtop/store/replica/zdfake"
)

// Zendesk's export leaves out tickets handled by AI agents unless
// support_type_scope asks for them (default "agent"); the sync asks for
// "all", so such a ticket reaches the store.
func TestZendeskExportIncludesAIAgentTickets(t *testing.T) {
	fake := zdfake.New(zdStart)
	fake.Put(zdfake.Ticket{"id": 501, "status": "open", "priority": "normal", "requester_id": 9, "tags": []any{}})
	fake.Put(zdfake.Ticket{"id": 502, "status": "solved", "priority": "normal", "requester_id": 10, "tags": []any{}})
	fake.AIAgent(502)
	count := func(query string) int {
		resp, err := http.Get(fake.URL + "/api/v2/incremental/tickets/cursor.json?start_time=0" + query)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var page struct {
			Tickets []map[string]any `json:"tickets"`
		}
		if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&page) != nil {
			t.Fatalf("%s: HTTP %d", query, resp.StatusCode)
		}
		return len(page.Tickets)
	}
	if n, all := count(""), count("&support_type_scope=all"); n != 1 || all != 2 {
		t.Fatalf("the fake exports %d tickets by default and %d with scope all, want 1 and 2 as Zendesk documents", n, all)
	}
	st := openStore(t, "zd.db")
	c, _ := zdClient(t, fake, st)
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Ticket("zd-502"); err != nil {
		t.Fatalf("the ticket an AI agent handled did not arrive: %v", err)
	}
}
