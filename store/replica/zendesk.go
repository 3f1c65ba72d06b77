package replica

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
)

// ZendeskRemote syncs with Zendesk Support both ways (docs/sync-api.md,
// "Zendesk").
//
// Pull reads the cursor-based incremental ticket export
// (GET /api/v2/incremental/tickets/cursor.json: start_time on the first
// request, then cursor=after_cursor until end_of_stream; the last
// after_cursor is kept for the next poll), with the users, groups and
// metric_sets side-loads, so names, departments and first-response and
// resolution times are Zendesk's own, and support_type_scope=all, so
// tickets handled by AI agents are included. A ticket with status
// "deleted" leaves the store. A ticket the adapter cannot map is
// quarantined with the reason, raw; the rest of the page lands.
//
// Push sends triage actions with the Tickets API (zendesk_push.go), using
// safe_update with the updated_stamp of the version the lead saw, so a
// ticket changed in Zendesk meanwhile is a visible conflict.
type ZendeskRemote struct {
	hub       *HubRemote // the HTTP plumbing: timeouts, errors, Retry-After
	auth      string
	startTime int64
	tax       model.Taxonomy
	dir       *zendeskDirectory
}

// NewZendeskRemote talks to baseURL ("https://SUBDOMAIN.zendesk.com").
// token is an OAuth access token (sent as Bearer) or "EMAIL/token:API_TOKEN"
// (sent as Basic, as Zendesk documents API-token authentication).
// startTime is the Unix time the first export starts from.
func NewZendeskRemote(baseURL, token string, startTime int64, tax model.Taxonomy, timeout time.Duration) (*ZendeskRemote, error) {
	h, err := NewHubRemote(baseURL, "", timeout)
	if err != nil {
		return nil, err
	}
	z := &ZendeskRemote{hub: h, startTime: startTime, tax: tax, dir: newZendeskDirectory()}
	switch {
	case token == "":
	case strings.Contains(token, "/token:"):
		z.auth = "Basic " + base64.StdEncoding.EncodeToString([]byte(token))
	default:
		z.auth = "Bearer " + token
	}
	if z.tax.Statuses == nil {
		z.tax = model.DefaultTaxonomy()
	}
	return z, nil
}

// Name is the Zendesk URL.
func (z *ZendeskRemote) Name() string { return "zendesk " + z.hub.base.String() }

// State and Restore keep the names learnt from side-loads in the store
// (the client's remote state).
func (z *ZendeskRemote) State() ([]byte, bool)  { return z.dir.State() }
func (z *ZendeskRemote) Restore(b []byte) error { return z.dir.Restore(b) }

// zendeskIncludes are the export's side-loads the mapping reads.
const zendeskIncludes = "users,groups,metric_sets"

// Pull fetches one page of the export. The cursor is Zendesk's
// after_cursor; "" starts at startTime.
func (z *ZendeskRemote) Pull(ctx context.Context, cursor string, limit int) (*Page, error) {
	q := url.Values{}
	if cursor == "" {
		q.Set("start_time", strconv.FormatInt(z.startTime, 10))
	} else {
		q.Set("cursor", cursor)
	}
	if limit > 0 {
		q.Set("per_page", strconv.Itoa(min(limit, 1000)))
	}
	q.Set("include", zendeskIncludes)
	q.Set("support_type_scope", "all")
	body, status, header, err := z.hub.doAuth(ctx, http.MethodGet, "/api/v2/incremental/tickets/cursor.json", q, nil, z.auth)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, httpError(status, header, body)
	}
	return z.decodePage(body)
}

// decodePage reads one page of the incremental ticket export: tickets
// that cannot be mapped are quarantined with the reason, the rest land.
func (z *ZendeskRemote) decodePage(body []byte) (*Page, error) {
	var wire zendeskPage
	if err := json.Unmarshal(body, &wire); err != nil {
		return nil, &PageError{Index: -1, Err: fmt.Errorf("Zendesk export page is not valid JSON (%v)", err)}
	}
	if wire.AfterCursor == nil || *wire.AfterCursor == "" {
		return nil, &PageError{Index: -1, Err: fmt.Errorf(`Zendesk export page has no "after_cursor"`)}
	}
	z.dir.learn(wire.Users, wire.Groups)
	metrics := make(map[zdID]*zendeskMetricSet, len(wire.MetricSets))
	for i := range wire.MetricSets {
		metrics[wire.MetricSets[i].TicketID] = &wire.MetricSets[i]
	}
	p := &Page{Next: *wire.AfterCursor, HasMore: !wire.EndOfStream}
	for i, raw := range wire.Tickets {
		if err := z.mapRaw(raw, metrics, p); err != nil {
			q := store.Quarantined{Source: "zendesk", Kind: model.RecordTicket, Reason: fmt.Sprintf("ticket %d of the page: %v", i, err), Raw: raw}
			var head struct {
				ID zdID `json:"id"`
			}
			if json.Unmarshal(raw, &head) == nil && head.ID.set() {
				q.ID = "zd-" + head.ID.String()
			}
			p.Quarantined = append(p.Quarantined, q)
		}
	}
	return p, nil
}

// mapRaw decodes and maps one exported ticket into p.
func (z *ZendeskRemote) mapRaw(raw json.RawMessage, metrics map[zdID]*zendeskMetricSet, p *Page) error {
	var zt zendeskTicket
	if err := json.Unmarshal(raw, &zt); err != nil {
		return err
	}
	if !zt.ID.set() {
		return fmt.Errorf("id: missing")
	}
	if zt.Status == "deleted" {
		id := "zd-" + zt.ID.String()
		p.Deleted = append(p.Deleted, store.Deleted{Kind: model.RecordTicket, ID: id}, store.Deleted{Kind: model.RecordFeedback, ID: satisfactionID(id)})
		return nil
	}
	recs, err := z.records(&zt, metrics[zt.ID])
	if err != nil {
		return err
	}
	p.Records = append(p.Records, recs...)
	return nil
}

// Remap maps a quarantined export ticket again (cxtop sync
// retry-quarantine), with the names learnt so far and no metrics.
func (z *ZendeskRemote) Remap(raw json.RawMessage) (*Page, error) {
	p := &Page{}
	if err := z.mapRaw(raw, nil, p); err != nil {
		return nil, err
	}
	return p, nil
}
