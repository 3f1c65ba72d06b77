package replica

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cxtop/cxtop/model"
)

// The mapping of an exported Zendesk ticket to cxtop records (the table in
// docs/sync-api.md, "Zendesk").

// zendeskChannels maps via.channel to the default taxonomy's sources.
var zendeskChannels = map[string]string{
	"email": "email", "web": "web_form", "web_form": "web_form", "api": "web_form",
	"chat": "website_chat", "web_widget": "website_chat", "native_messaging": "website_chat", "messaging": "website_chat",
	"voice": "hotline", "phone": "hotline", "facebook": "facebook", "mobile": "mobile_app", "mobile_sdk": "mobile_app",
	"any_channel": "marketplace", "sms": "mobile_app", "whatsapp": "mobile_app", "twitter": "facebook",
}

// zendeskStatuses maps Zendesk's statuses to the default taxonomy's.
var zendeskStatuses = map[string]string{
	"new": model.StatusNew, "open": model.StatusInProgress, "pending": model.StatusInProgress,
	"hold": model.StatusInProgress, "solved": model.StatusDone, "closed": model.StatusDone,
}

// escalatedTag marks an escalated ticket both ways.
const escalatedTag = "escalated"

// satisfactionID is the id of the CSAT answer a ticket's rating becomes:
// one per ticket, as Zendesk keeps the latest rating on the ticket.
func satisfactionID(ticketID string) string { return "zd-sat-" + strings.TrimPrefix(ticketID, "zd-") }

func (z *ZendeskRemote) records(zt *zendeskTicket, m *zendeskMetricSet) ([]model.Record, error) {
	if zt.CreatedAt.T.IsZero() {
		return nil, fmt.Errorf("created_at: missing")
	}
	if zt.UpdatedAt.T.IsZero() {
		return nil, fmt.Errorf("updated_at: missing")
	}
	id := zt.ID.String()
	t := &model.Ticket{
		ID: "zd-" + id, System: "zendesk", ExternalID: id,
		Subject: model.Clip(string(zt.Subject), model.MaxSubjectLen), Description: model.Clip(string(zt.Description), model.MaxDescriptionLen),
		Priority:  model.PriorityNormal,
		CreatedAt: zt.CreatedAt.T, UpdatedAt: zt.UpdatedAt.T,
		Tags: slices.Clone([]string(zt.Tags)[:min(len(zt.Tags), model.MaxTags)]),
		// generated_timestamp moves on every change, so it orders versions.
		Version:     uint64(max(int64(zt.GeneratedTimestamp), zt.UpdatedAt.T.Unix(), 1)),
		SourceStamp: zt.UpdatedAt.Raw,
		Escalated:   slices.Contains(zt.Tags, escalatedTag),
	}
	status, ok := zendeskStatuses[string(zt.Status)]
	if !ok {
		return nil, fmt.Errorf("status: %q is not a Zendesk status (new, open, pending, hold, solved, closed, deleted)", zt.Status)
	}
	t.Status = status
	z.times(t, m)
	if p := string(zt.Priority); p != "" {
		if !slices.Contains([]string{model.PriorityLow, model.PriorityNormal, model.PriorityHigh, model.PriorityUrgent}, p) {
			return nil, fmt.Errorf("priority: %q is not a Zendesk priority (low, normal, high, urgent)", p)
		}
		t.Priority = p
	}
	t.Type, t.SubType = z.ticketType(string(zt.Type), zt.Tags)
	t.Source = "web_form"
	if zt.Via != nil {
		if s, ok := zendeskChannels[string(zt.Via.Channel)]; ok {
			t.Source = s
		}
	}
	if zt.RequesterID.set() {
		t.CustomerID = "zd-user-" + zt.RequesterID.String()
	}
	if zt.AssigneeID.set() {
		t.Assignee = z.dir.user(zt.AssigneeID)
	}
	if zt.GroupID.set() {
		t.Department = z.dir.group(zt.GroupID)
	}
	if zt.OrganizationID.set() {
		t.Segment = "zd-org-" + zt.OrganizationID.String()
	}
	t.SLADueAt = z.tax.SLADue(t.Priority, t.CreatedAt)
	t.History = []model.Change{{At: t.CreatedAt, By: "zendesk", Field: "status", New: model.StatusNew}}
	if t.Status != model.StatusNew {
		at := t.UpdatedAt
		if t.Status == model.StatusDone {
			at = t.ResolvedAt
		}
		t.History = append(t.History, model.Change{At: at, By: "zendesk", Field: "status", Old: model.StatusNew, New: t.Status})
	}
	out := []model.Record{{Ticket: t}}
	if sr := zt.SatisfactionRating; sr != nil && (sr.Score == "good" || sr.Score == "bad") {
		score := 5
		if sr.Score == "bad" {
			score = 1
		}
		at := t.ResolvedAt
		if at.IsZero() {
			at = t.UpdatedAt
		}
		out = append(out, model.Record{Feedback: &model.Feedback{
			ID: satisfactionID(t.ID), Survey: model.SurveyCSAT, Score: score, At: at, CustomerID: t.CustomerID,
			Segment: t.Segment, Touchpoint: "support", Kind: model.KindPostResolution, Channel: t.Source,
			TicketID: t.ID, Comment: model.Clip(string(sr.Comment), model.MaxDescriptionLen),
		}})
	}
	return out, nil
}

// times sets the first response and resolution from the ticket's metric
// set when the page side-loaded one; without it, the first update that
// left "new" and the last update of a done ticket are the best bounds.
func (z *ZendeskRemote) times(t *model.Ticket, m *zendeskMetricSet) {
	minutes := func(d *zdMinutes) (time.Time, bool) {
		if d == nil || d.Calendar == nil || *d.Calendar < 0 {
			return time.Time{}, false
		}
		return t.CreatedAt.Add(time.Duration(*d.Calendar * float64(time.Minute))), true
	}
	if m == nil {
		if t.Status != model.StatusNew {
			t.FirstResponseAt = t.UpdatedAt
		}
		if t.Status == model.StatusDone {
			t.ResolvedAt = t.UpdatedAt
		}
		return
	}
	if at, ok := minutes(m.ReplyTime); ok {
		t.FirstResponseAt = at
	}
	if t.Status != model.StatusDone {
		return
	}
	switch at, ok := minutes(m.FullResolutionTime); {
	case !m.SolvedAt.T.IsZero():
		t.ResolvedAt = m.SolvedAt.T
	case ok:
		t.ResolvedAt = at
	default:
		t.ResolvedAt = t.UpdatedAt
	}
	if t.ResolvedAt.Before(t.CreatedAt) {
		t.ResolvedAt = t.CreatedAt
	}
	if !t.FirstResponseAt.IsZero() && t.FirstResponseAt.After(t.ResolvedAt) {
		t.FirstResponseAt = t.ResolvedAt
	}
}

// ticketType picks our type: a tag naming a type or sub-type wins, then
// Zendesk's own type. A sub-type's tag names its type too.
func (z *ZendeskRemote) ticketType(zType string, tags []string) (typ, sub string) {
	for _, tag := range tags {
		for _, tt := range z.tax.Types {
			if slices.Contains(tt.SubTypes, tag) {
				return tt.Name, tag
			}
		}
	}
	for _, tag := range tags {
		if _, ok := z.tax.Type(tag); ok {
			return tag, ""
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
