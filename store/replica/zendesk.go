package replica

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cxtop/cxtop/model"
)

// ZendeskRemote pulls tickets from Zendesk Support's cursor-based
// incremental ticket export (GET /api/v2/incremental/tickets/cursor.json:
// start_time on the first request, then cursor=after_cursor until
// end_of_stream; the last after_cursor is kept for the next poll). Each
// ticket's inline satisfaction_rating becomes a CSAT answer. Zendesk is
// read-only for cxtop: triage actions stay in the outbox.
//
// The mapping (docs/sync-api.md, "Zendesk"):
//   - status new → new; open, pending, hold → in_progress; solved, closed
//     → done; deleted → done with the tag "zendesk_deleted" (the store keeps
//     no tombstones, and a deleted ticket must leave the queue).
//   - priority low/normal/high/urgent as is; none → normal.
//   - type: a tag naming one of our types (or sub-types) wins; otherwise
//     question/task → information_request, incident/problem →
//     technical_support, none → information_request.
//   - via.channel → source (see zendeskChannels); others → web_form.
//   - satisfaction_rating.score good → CSAT 5, bad → CSAT 1 (CSAT counts
//     4–5 as satisfied); offered/unoffered → no answer.
type ZendeskRemote struct {
	hub       *HubRemote // the HTTP plumbing: timeouts, errors, Retry-After
	auth      string
	startTime int64
	tax       model.Taxonomy
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
	z := &ZendeskRemote{hub: h, startTime: startTime, tax: tax}
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

// Push is not supported: Zendesk stays the place where tickets are edited.
func (z *ZendeskRemote) Push(context.Context, model.Action) (*PushResult, error) {
	return nil, ErrPushUnsupported
}

type zendeskPage struct {
	Tickets     []zendeskTicket `json:"tickets"`
	AfterCursor *string         `json:"after_cursor"`
	EndOfStream bool            `json:"end_of_stream"`
}

type zendeskTicket struct {
	ID                 int64    `json:"id"`
	ExternalID         *string  `json:"external_id"`
	Type               *string  `json:"type"`
	Subject            *string  `json:"subject"`
	Description        *string  `json:"description"`
	Priority           *string  `json:"priority"`
	Status             string   `json:"status"`
	RequesterID        *int64   `json:"requester_id"`
	AssigneeID         *int64   `json:"assignee_id"`
	GroupID            *int64   `json:"group_id"`
	OrganizationID     *int64   `json:"organization_id"`
	Tags               []string `json:"tags"`
	CreatedAt          string   `json:"created_at"`
	UpdatedAt          string   `json:"updated_at"`
	GeneratedTimestamp int64    `json:"generated_timestamp"`
	Via                *struct {
		Channel string `json:"channel"`
	} `json:"via"`
	SatisfactionRating *struct {
		ID      *int64  `json:"id"`
		Score   string  `json:"score"`
		Comment *string `json:"comment"`
	} `json:"satisfaction_rating"`
}

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
	body, status, header, err := z.hub.doAuth(ctx, http.MethodGet, "/api/v2/incremental/tickets/cursor.json", q, nil, z.auth)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, httpError(status, header, body)
	}
	var wire zendeskPage
	if err := json.Unmarshal(body, &wire); err != nil {
		return nil, &PageError{Index: -1, Err: fmt.Errorf("Zendesk export page is not valid JSON (%v)", err)}
	}
	if wire.AfterCursor == nil || *wire.AfterCursor == "" {
		return nil, &PageError{Index: -1, Err: fmt.Errorf(`Zendesk export page has no "after_cursor"`)}
	}
	p := &Page{Next: *wire.AfterCursor, HasMore: !wire.EndOfStream}
	for i, zt := range wire.Tickets {
		recs, err := z.records(&zt)
		if err != nil {
			return nil, &PageError{Index: i, Kind: model.RecordTicket, ID: "zd-" + strconv.FormatInt(zt.ID, 10), Err: err}
		}
		p.Records = append(p.Records, recs...)
	}
	return p, nil
}

// zendeskChannels maps via.channel to the default taxonomy's sources.
var zendeskChannels = map[string]string{
	"email": "email", "web": "web_form", "web_form": "web_form", "api": "web_form",
	"chat": "website_chat", "web_widget": "website_chat", "native_messaging": "website_chat", "messaging": "website_chat",
	"voice": "hotline", "phone": "hotline", "facebook": "facebook", "mobile": "mobile_app", "mobile_sdk": "mobile_app",
	"any_channel": "marketplace", "sms": "mobile_app", "whatsapp": "mobile_app", "twitter": "facebook",
}

func (z *ZendeskRemote) records(zt *zendeskTicket) ([]model.Record, error) {
	created, err := time.Parse(time.RFC3339, zt.CreatedAt)
	if err != nil {
		return nil, fmt.Errorf("created_at: %q is not an ISO 8601 time", zt.CreatedAt)
	}
	updated, err := time.Parse(time.RFC3339, zt.UpdatedAt)
	if err != nil {
		return nil, fmt.Errorf("updated_at: %q is not an ISO 8601 time", zt.UpdatedAt)
	}
	id := strconv.FormatInt(zt.ID, 10)
	t := &model.Ticket{
		ID: "zd-" + id, System: "zendesk", ExternalID: id,
		Subject: str(zt.Subject), Description: str(zt.Description),
		Priority:  model.PriorityNormal,
		CreatedAt: created.UTC(), UpdatedAt: updated.UTC(),
		Tags: slices.Clone(zt.Tags),
		// generated_timestamp moves on every change, so it orders versions.
		Version: uint64(max(zt.GeneratedTimestamp, 1)),
	}
	switch zt.Status {
	case "new":
		t.Status = model.StatusNew
	case "open", "pending", "hold":
		t.Status = model.StatusInProgress
	case "solved", "closed":
		t.Status = model.StatusDone
	case "deleted":
		t.Status = model.StatusDone
		t.Tags = append(t.Tags, "zendesk_deleted")
	default:
		return nil, fmt.Errorf("status: %q is not a Zendesk status (new, open, pending, hold, solved, closed, deleted)", zt.Status)
	}
	if t.Status == model.StatusDone {
		t.ResolvedAt = t.UpdatedAt
	}
	if t.Status != model.StatusNew {
		// The export does not carry the first reply time; the first update
		// that left "new" is the best bound it gives.
		t.FirstResponseAt = t.UpdatedAt
	}
	if p := str(zt.Priority); p != "" {
		if !slices.Contains([]string{model.PriorityLow, model.PriorityNormal, model.PriorityHigh, model.PriorityUrgent}, p) {
			return nil, fmt.Errorf("priority: %q is not a Zendesk priority (low, normal, high, urgent)", p)
		}
		t.Priority = p
	}
	t.Type, t.SubType = z.ticketType(str(zt.Type), zt.Tags)
	t.Source = "web_form"
	if zt.Via != nil {
		if s, ok := zendeskChannels[zt.Via.Channel]; ok {
			t.Source = s
		}
	}
	if zt.RequesterID != nil {
		t.CustomerID = "zd-user-" + strconv.FormatInt(*zt.RequesterID, 10)
	}
	if zt.AssigneeID != nil {
		t.Assignee = "zd-agent-" + strconv.FormatInt(*zt.AssigneeID, 10)
	}
	if zt.GroupID != nil {
		t.Department = "zd-group-" + strconv.FormatInt(*zt.GroupID, 10)
	}
	if zt.OrganizationID != nil {
		t.Segment = "zd-org-" + strconv.FormatInt(*zt.OrganizationID, 10)
	}
	t.SLADueAt = z.tax.SLADue(t.Priority, t.CreatedAt)
	t.History = []model.Change{{At: t.CreatedAt, By: "zendesk", Field: "status", New: model.StatusNew}}
	if t.Status != model.StatusNew {
		t.History = append(t.History, model.Change{At: t.UpdatedAt, By: "zendesk", Field: "status", Old: model.StatusNew, New: t.Status})
	}
	out := []model.Record{{Ticket: t}}
	if sr := zt.SatisfactionRating; sr != nil && (sr.Score == "good" || sr.Score == "bad") {
		score := 5
		if sr.Score == "bad" {
			score = 1
		}
		fid := "zd-sat-" + id
		if sr.ID != nil {
			fid = "zd-sat-" + strconv.FormatInt(*sr.ID, 10)
		}
		out = append(out, model.Record{Feedback: &model.Feedback{
			ID: fid, Survey: model.SurveyCSAT, Score: score, At: t.UpdatedAt, CustomerID: t.CustomerID,
			Segment: t.Segment, Touchpoint: "support", Kind: model.KindPostResolution, Channel: t.Source,
			TicketID: t.ID, Comment: str(sr.Comment),
		}})
	}
	return out, nil
}

// ticketType picks our type: a tag naming a type or sub-type wins, then
// Zendesk's own type.
func (z *ZendeskRemote) ticketType(zType string, tags []string) (typ, sub string) {
	for _, tag := range tags {
		for _, tt := range z.tax.Types {
			if tag == tt.Name {
				return tt.Name, ""
			}
			if slices.Contains(tt.SubTypes, tag) {
				return tt.Name, tag
			}
		}
	}
	switch zType {
	case "incident", "problem":
		typ = "technical_support"
	default:
		typ = "information_request"
	}
	if _, ok := z.tax.Type(typ); !ok && len(z.tax.Types) > 0 {
		typ = z.tax.Types[0].Name
	}
	return typ, ""
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
