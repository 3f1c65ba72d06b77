package replica

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Zendesk's API reference documents each ticket field's type (id integer,
// tags array of strings, custom_fields values of any JSON type, via an
// object, timestamps ISO 8601 strings, many of them nullable), and clients
// in the wild meet ids as strings, numbers with a fraction, and values of
// one field typed differently across tickets. The types below accept every
// documented form of the fields the adapter reads and say precisely what
// they could not take; the fields it does not read are not decoded at all.

// zdID is an integer id: a JSON number (1234, 1234.0), a numeric string, or
// null (0, not set).
type zdID int64

func (z *zdID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*z = 0
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*z = 0
			return nil
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		*z = zdID(n)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != float64(int64(f)) || f < 0 {
		return fmt.Errorf("%s is not an integer id", clipRaw(b))
	}
	*z = zdID(int64(f))
	return nil
}

// set reports whether the id is present.
func (z zdID) set() bool { return z > 0 }

func (z zdID) String() string { return strconv.FormatInt(int64(z), 10) }

// zdText is a string that may arrive as a string, a number, a boolean or
// null ("").
type zdText string

func (z *zdText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*z = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*z = zdText(s)
	case string(b) == "true" || string(b) == "false":
		*z = zdText(b)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("%s is not a string", clipRaw(b))
		}
		*z = zdText(n.String())
	}
	return nil
}

// zdTags is an array of tags; a tag that is a number is kept as its text,
// null is no tags, and a lone string is taken as space-separated tags.
type zdTags []string

func (z *zdTags) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*z = nil
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*z = strings.Fields(s)
		return nil
	}
	var raw []zdText
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("tags: %s is not an array of strings", clipRaw(b))
	}
	out := make([]string, 0, len(raw))
	for _, t := range raw {
		if t != "" {
			out = append(out, string(t))
		}
	}
	*z = out
	return nil
}

// zdTime is an ISO 8601 time: "2026-10-21T10:38:52Z", with a fraction or a
// numeric offset, or null (zero). Raw keeps the text as Zendesk sent it:
// updated_stamp must be sent back exactly.
type zdTime struct {
	T   time.Time
	Raw string
}

func (z *zdTime) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*z = zdTime{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("%s is not an ISO 8601 time string", clipRaw(b))
	}
	if s == "" {
		*z = zdTime{}
		return nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02 15:04:05 -0700", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			*z = zdTime{T: t.UTC(), Raw: s}
			return nil
		}
	}
	return fmt.Errorf("%q is not an ISO 8601 time", s)
}

// zdMinutes is one of ticket metrics' duration objects,
// {"calendar": N, "business": N}, whose members may be null.
type zdMinutes struct {
	Calendar *float64 `json:"calendar"`
	Business *float64 `json:"business"`
}

func clipRaw(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

// zendeskPage is one answer of the cursor-based incremental ticket export
// with the side-loads asked for.
type zendeskPage struct {
	Tickets     []json.RawMessage  `json:"tickets"`
	Users       []zendeskUser      `json:"users"`
	Groups      []zendeskGroup     `json:"groups"`
	MetricSets  []zendeskMetricSet `json:"metric_sets"`
	AfterCursor *string            `json:"after_cursor"`
	EndOfStream bool               `json:"end_of_stream"`
}

type zendeskTicket struct {
	ID                 zdID                `json:"id"`
	ExternalID         zdText              `json:"external_id"`
	Type               zdText              `json:"type"`
	Subject            zdText              `json:"subject"`
	Description        zdText              `json:"description"`
	Priority           zdText              `json:"priority"`
	Status             zdText              `json:"status"`
	RequesterID        zdID                `json:"requester_id"`
	AssigneeID         zdID                `json:"assignee_id"`
	GroupID            zdID                `json:"group_id"`
	OrganizationID     zdID                `json:"organization_id"`
	Tags               zdTags              `json:"tags"`
	CreatedAt          zdTime              `json:"created_at"`
	UpdatedAt          zdTime              `json:"updated_at"`
	GeneratedTimestamp zdID                `json:"generated_timestamp"`
	Via                *zendeskVia         `json:"via"`
	SatisfactionRating *zendeskRating      `json:"satisfaction_rating"`
	CustomFields       []zendeskFieldValue `json:"custom_fields"`
}

type zendeskVia struct {
	Channel zdText `json:"channel"`
}

type zendeskRating struct {
	ID      zdID   `json:"id"`
	Score   zdText `json:"score"`
	Comment zdText `json:"comment"`
}

// zendeskFieldValue is a custom field: its value is a string, number,
// boolean, array of strings (multi-select), or null, so it stays raw.
type zendeskFieldValue struct {
	ID    zdID            `json:"id"`
	Value json.RawMessage `json:"value"`
}

type zendeskUser struct {
	ID   zdID   `json:"id"`
	Name zdText `json:"name"`
	Role zdText `json:"role"`
}

type zendeskGroup struct {
	ID   zdID   `json:"id"`
	Name zdText `json:"name"`
}

type zendeskMetricSet struct {
	TicketID             zdID       `json:"ticket_id"`
	ReplyTime            *zdMinutes `json:"reply_time_in_minutes"`
	FullResolutionTime   *zdMinutes `json:"full_resolution_time_in_minutes"`
	SolvedAt             zdTime     `json:"solved_at"`
	InitiallyAssignedAt  zdTime     `json:"initially_assigned_at"`
	FirstResolutionTime  *zdMinutes `json:"first_resolution_time_in_minutes"`
	RequesterWaitMinutes *zdMinutes `json:"requester_wait_time_in_minutes"`
}
