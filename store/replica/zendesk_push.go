package replica

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/cxtop/cxtop/model"
)

// Push sends one triage action to Zendesk with the Tickets API
// (PUT /api/v2/tickets/{id}.json):
//
//	{"ticket": {"status": "open", "safe_update": true,
//	            "updated_stamp": "2026-10-21T10:38:52Z", ...}}
//
// updated_stamp is the updated_at of the version the lead saw (the
// action's base_stamp), so Zendesk answers 409 when the ticket changed
// meanwhile; the conflict then shows as it does with the hub: the current
// Zendesk ticket replaces the local one with a "conflict" entry in its
// history, and the status counts it. 429 and 5xx are retried by the client
// (Retry-After honoured); 400, 403, 404 and 422 refuse the action for good.
//
// A note is a private comment that names the action, so a push repeated
// after a crash (Zendesk takes no idempotency key on updates) is
// recognised on the 409 it meets, not reported as a conflict or sent
// twice. For the other kinds the ticket itself shows whether the change is
// already there.
func (z *ZendeskRemote) Push(ctx context.Context, a model.Action) (*PushResult, error) {
	id, ok := strings.CutPrefix(a.TicketID, "zd-")
	if _, err := strconv.ParseInt(id, 10, 64); !ok || err != nil {
		return &PushResult{Outcome: PushRefused, Message: fmt.Sprintf("ticket %s is not a Zendesk ticket", a.TicketID)}, nil
	}
	fields, err := z.updateFields(a)
	if errors.Is(err, errUnknownName) {
		// A group or agent no exported ticket named yet: read the lists once.
		if err := z.readDirectory(ctx); err != nil {
			return nil, err
		}
		fields, err = z.updateFields(a)
	}
	if err != nil {
		return &PushResult{Outcome: PushRefused, Message: err.Error()}, nil
	}
	if a.BaseStamp != "" {
		fields["safe_update"] = true
		fields["updated_stamp"] = a.BaseStamp
	}
	payload, err := json.Marshal(map[string]any{"ticket": fields})
	if err != nil {
		return nil, err
	}
	path := "/api/v2/tickets/" + id + ".json"
	body, status, header, err := z.hub.doAuth(ctx, http.MethodPut, path, nil, payload, z.auth)
	if err != nil {
		return nil, err
	}
	switch {
	case status == http.StatusOK || status == http.StatusCreated:
		var reply struct {
			Ticket struct {
				UpdatedAt zdTime `json:"updated_at"`
			} `json:"ticket"`
		}
		json.Unmarshal(body, &reply)
		// The local ticket already holds the change; the next pull brings
		// Zendesk's version with its metrics. Its new updated_at is the
		// stamp of the next action on this ticket (settled in the store).
		return &PushResult{Outcome: PushApplied, Stamp: reply.Ticket.UpdatedAt.Raw}, nil
	case status == http.StatusConflict:
		return z.conflict(ctx, a, id, httpError(status, header, body).Message)
	case status == http.StatusBadRequest || status == http.StatusForbidden || status == http.StatusNotFound || status == http.StatusUnprocessableEntity:
		return &PushResult{Outcome: PushRefused, Message: zendeskErrorText(status, header, body)}, nil
	}
	return nil, httpError(status, header, body)
}

// updateFields is the ticket object of an update for one action.
func (z *ZendeskRemote) updateFields(a model.Action) (map[string]any, error) {
	f := map[string]any{}
	switch a.Kind {
	case model.ActionStatus:
		switch a.Status {
		case model.StatusNew:
			f["status"] = "new"
		case model.StatusDone:
			f["status"] = "solved"
		default:
			f["status"] = "open"
		}
	case model.ActionPriority:
		if !slices.Contains([]string{model.PriorityLow, model.PriorityNormal, model.PriorityHigh, model.PriorityUrgent}, a.Priority) {
			return nil, fmt.Errorf("priority %q has no Zendesk equivalent (low, normal, high, urgent)", a.Priority)
		}
		f["priority"] = a.Priority
	case model.ActionAssign:
		if a.Department != "" {
			gid, ok := z.dir.groupID(a.Department)
			if !ok {
				return nil, fmt.Errorf("department %q: %w", a.Department, errUnknownName)
			}
			f["group_id"] = gid
		}
		if a.Assignee != "" {
			uid, ok := z.dir.userID(a.Assignee)
			if !ok {
				return nil, fmt.Errorf("assignee %q: %w", a.Assignee, errUnknownName)
			}
			f["assignee_id"] = uid
		}
	case model.ActionType:
		switch a.Type {
		case "technical_support":
			f["type"] = "incident"
		case "information_request":
			f["type"] = "question"
		}
		add := []string{a.Type}
		if a.SubType != "" {
			add = append(add, a.SubType)
		}
		var remove []string
		for _, tt := range z.tax.Types {
			for _, name := range append([]string{tt.Name}, tt.SubTypes...) {
				if !slices.Contains(add, name) {
					remove = append(remove, name)
				}
			}
		}
		f["additional_tags"] = add
		f["remove_tags"] = remove
	case model.ActionEscalate:
		f["additional_tags"] = []string{escalatedTag}
	case model.ActionNote:
		f["comment"] = map[string]any{"body": a.Note + noteMarker(a), "public": false}
	default:
		return nil, fmt.Errorf("action kind %q has no Zendesk equivalent", a.Kind)
	}
	return f, nil
}

// errUnknownName is a department or assignee with no Zendesk id known.
var errUnknownName = errors.New("not a Zendesk group or agent of this account")

// readDirectory reads the account's groups and agents (the first pages of
// GET /api/v2/groups.json and GET /api/v2/users.json?role[]=agent&role[]=admin).
func (z *ZendeskRemote) readDirectory(ctx context.Context) error {
	var groups struct {
		Groups []zendeskGroup `json:"groups"`
	}
	var users struct {
		Users []zendeskUser `json:"users"`
	}
	for _, r := range []struct {
		path string
		q    url.Values
		into any
	}{
		{"/api/v2/groups.json", url.Values{"per_page": {"100"}}, &groups},
		{"/api/v2/users.json", url.Values{"role[]": {"agent", "admin"}, "per_page": {"100"}}, &users},
	} {
		body, status, header, err := z.hub.doAuth(ctx, http.MethodGet, r.path, r.q, nil, z.auth)
		if err != nil {
			return err
		}
		if status != http.StatusOK {
			return httpError(status, header, body)
		}
		if err := json.Unmarshal(body, r.into); err != nil {
			return &PageError{Index: -1, Err: fmt.Errorf("Zendesk %s is not valid JSON (%v)", r.path, err)}
		}
	}
	z.dir.learn(users.Users, groups.Groups)
	return nil
}

// noteMarker ends a note's comment with the action id (agents only see it).
func noteMarker(a model.Action) string { return "\n\n(cxtop action " + a.ID + ")" }

// conflict answers a 409: Zendesk's current ticket, with a "conflict"
// entry in its history, replaces the local one, unless that ticket shows
// the action already applied (a push repeated after a crash).
func (z *ZendeskRemote) conflict(ctx context.Context, a model.Action, id, why string) (*PushResult, error) {
	q := url.Values{"include": {"users,groups,metric_sets"}}
	body, status, header, err := z.hub.doAuth(ctx, http.MethodGet, "/api/v2/tickets/"+id+".json", q, nil, z.auth)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, httpError(status, header, body)
	}
	var show struct {
		Ticket     json.RawMessage    `json:"ticket"`
		Users      []zendeskUser      `json:"users"`
		Groups     []zendeskGroup     `json:"groups"`
		MetricSets []zendeskMetricSet `json:"metric_sets"`
		MetricSet  *zendeskMetricSet  `json:"metric_set"`
	}
	if err := json.Unmarshal(body, &show); err != nil || len(show.Ticket) == 0 {
		return nil, &PageError{Index: -1, Err: fmt.Errorf("Zendesk ticket %s is not valid JSON (%v)", id, err)}
	}
	z.dir.learn(show.Users, show.Groups)
	var zt zendeskTicket
	if err := json.Unmarshal(show.Ticket, &zt); err != nil {
		return nil, &PageError{Index: -1, Kind: model.RecordTicket, ID: a.TicketID, Err: err}
	}
	var m *zendeskMetricSet
	if len(show.MetricSets) > 0 {
		m = &show.MetricSets[0]
	} else if show.MetricSet != nil {
		m = show.MetricSet
	}
	recs, err := z.records(&zt, m)
	if err != nil {
		return nil, &PageError{Index: -1, Kind: model.RecordTicket, ID: a.TicketID, Err: err}
	}
	cur := recs[0].Ticket
	applied, err := z.alreadyApplied(ctx, a, id, cur)
	if err != nil {
		return nil, err
	}
	if applied {
		return &PushResult{Outcome: PushApplied, Stamp: cur.SourceStamp}, nil
	}
	if why == "" {
		why = "UpdateConflict"
	}
	cur.History = append(cur.History, model.Change{At: a.At.UTC(), By: a.By, Field: "conflict",
		Old: "stamp " + a.BaseStamp, New: fmt.Sprintf("refused %s (action %s): ticket changed in Zendesk meanwhile", a.Kind, a.ID)})
	return &PushResult{Outcome: PushConflict, Ticket: cur, Message: "Zendesk: " + why + ": Zendesk's version wins"}, nil
}

// alreadyApplied tells whether Zendesk's current ticket already holds the
// action's change.
func (z *ZendeskRemote) alreadyApplied(ctx context.Context, a model.Action, id string, cur *model.Ticket) (bool, error) {
	switch a.Kind {
	case model.ActionStatus:
		return cur.Status == a.Status, nil
	case model.ActionPriority:
		return cur.Priority == a.Priority, nil
	case model.ActionAssign:
		return (a.Department == "" || cur.Department == a.Department) && (a.Assignee == "" || cur.Assignee == a.Assignee), nil
	case model.ActionType:
		return slices.Contains(cur.Tags, a.Type) && (a.SubType == "" || slices.Contains(cur.Tags, a.SubType)), nil
	case model.ActionEscalate:
		return cur.Escalated, nil
	case model.ActionNote:
		q := url.Values{"sort_order": {"desc"}}
		body, status, header, err := z.hub.doAuth(ctx, http.MethodGet, "/api/v2/tickets/"+id+"/comments.json", q, nil, z.auth)
		if err != nil {
			return false, err
		}
		if status != http.StatusOK {
			return false, httpError(status, header, body)
		}
		var page struct {
			Comments []struct {
				Body zdText `json:"body"`
			} `json:"comments"`
		}
		if json.Unmarshal(body, &page) != nil {
			return false, nil
		}
		for _, c := range page.Comments {
			if strings.Contains(string(c.Body), noteMarker(a)) {
				return true, nil
			}
		}
	}
	return false, nil
}

// zendeskErrorText reads Zendesk's error body ({"error": ..., "description":
// ..., "details": {...}}) into one line.
func zendeskErrorText(status int, header http.Header, body []byte) string {
	var e struct {
		Error       any    `json:"error"`
		Description string `json:"description"`
	}
	if json.Unmarshal(body, &e) == nil {
		parts := []string{}
		if s, ok := e.Error.(string); ok && s != "" {
			parts = append(parts, s)
		}
		if e.Description != "" {
			parts = append(parts, e.Description)
		}
		if len(parts) > 0 {
			return fmt.Sprintf("Zendesk HTTP %d: %s", status, strings.Join(parts, ": "))
		}
	}
	return "Zendesk " + httpError(status, header, body).Error()
}
