package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// ParseRecord reads one line of the export format. It is strict: an unknown
// kind or key, a value of the wrong type, or a time that is not RFC 3339 is
// an error naming the key. The record's own rules are checked by
// CheckRecord or Taxonomy.Validate, not here.
func ParseRecord(line []byte) (Record, error) {
	line = bytes.TrimSpace(line)
	if r, ok := parseCanonical(line); ok {
		return r, nil
	}
	return parseRecordStrict(line)
}

// parseRecordStrict is ParseRecord for any line, with an error naming what
// is wrong: encoding/json with unknown keys refused.
func parseRecordStrict(line []byte) (Record, error) {
	if len(line) == 0 {
		return Record{}, errors.New("empty line (want one JSON object)")
	}
	if line[0] != '{' {
		return Record{}, errors.New("not a JSON object")
	}
	// encoding/json replaces invalid UTF-8 and lone surrogate escapes with
	// U+FFFD without a word, which merged two ids that differed only there:
	// refuse them instead.
	if err := checkUTF8(line); err != nil {
		return Record{}, err
	}
	var head struct {
		Kind *string `json:"kind"`
	}
	if err := json.Unmarshal(line, &head); err != nil {
		return Record{}, jsonProblem(err)
	}
	if head.Kind == nil {
		return Record{}, errors.New(`missing key "kind" (want ticket, feedback or event)`)
	}
	switch *head.Kind {
	case RecordTicket:
		var w ticketWire
		if err := strictUnmarshal(line, &w); err != nil {
			return Record{}, err
		}
		t, err := w.ticket()
		return Record{Ticket: t}, err
	case RecordFeedback:
		var w feedbackWire
		if err := strictUnmarshal(line, &w); err != nil {
			return Record{}, err
		}
		f, err := w.feedback()
		return Record{Feedback: f}, err
	case RecordEvent:
		var w eventWire
		if err := strictUnmarshal(line, &w); err != nil {
			return Record{}, err
		}
		e, err := w.event()
		return Record{Event: e}, err
	}
	return Record{}, fmt.Errorf("unknown kind %q (want ticket, feedback or event)", *head.Kind)
}

func strictUnmarshal(line []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if dec.More() {
		return errors.New("more than one JSON value on the line")
	}
	return nil
}

// jsonProblem turns encoding/json's messages into ones that name the key.
func jsonProblem(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		return fmt.Errorf("key %q: got a JSON %s, want %s", typeErr.Field, typeErr.Value, jsonTypeName(typeErr.Type.String()))
	case errors.As(err, &syntaxErr) && strings.Contains(syntaxErr.Error(), "unexpected end"):
		return errors.New("truncated JSON object")
	case errors.As(err, &syntaxErr) && strings.Contains(syntaxErr.Error(), "after top-level value"):
		return errors.New("more than one JSON value on the line")
	case errors.As(err, &syntaxErr):
		return fmt.Errorf("invalid JSON at byte %d: %s", syntaxErr.Offset, strings.TrimPrefix(syntaxErr.Error(), "json: "))
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected EOF"):
		return errors.New("truncated JSON object")
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if k, ok := strings.CutPrefix(msg, "unknown field "); ok {
		return fmt.Errorf("unknown key %s", k)
	}
	return errors.New(msg)
}

func jsonTypeName(goType string) string {
	switch {
	case strings.Contains(goType, "string"):
		return "a string"
	case strings.Contains(goType, "bool"):
		return "true or false"
	case strings.Contains(goType, "int"), strings.Contains(goType, "float"):
		return "a number"
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	}
	return "an object"
}

func parseTime(key string, s *string) (time.Time, error) {
	if s == nil {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, *s)
	if err != nil {
		return time.Time{}, fmt.Errorf("key %q: %q is not an RFC 3339 time (like 2026-01-02T15:04:05Z)", key, *s)
	}
	return t.UTC(), nil
}

// times parses several time keys, stopping at the first bad one.
type timeParser struct{ err error }

func (p *timeParser) parse(key string, s *string) time.Time {
	if p.err != nil {
		return time.Time{}
	}
	t, err := parseTime(key, s)
	p.err = err
	return t
}

type changeWire struct {
	At    *string `json:"at"`
	By    string  `json:"by"`
	Field string  `json:"field"`
	Old   string  `json:"old"`
	New   string  `json:"new"`
}

type ticketWire struct {
	Kind            string       `json:"kind"`
	ID              string       `json:"id"`
	Status          string       `json:"status"`
	Type            string       `json:"type"`
	SubType         string       `json:"subtype"`
	Source          string       `json:"source"`
	Priority        string       `json:"priority"`
	Department      string       `json:"department"`
	Assignee        string       `json:"assignee"`
	CustomerID      string       `json:"customer_id"`
	Segment         string       `json:"segment"`
	Touchpoint      string       `json:"touchpoint"`
	Subject         string       `json:"subject"`
	CreatedAt       *string      `json:"created_at"`
	FirstResponseAt *string      `json:"first_response_at"`
	ResolvedAt      *string      `json:"resolved_at"`
	SLADueAt        *string      `json:"sla_due_at"`
	Escalated       bool         `json:"escalated"`
	UpdatedAt       *string      `json:"updated_at"`
	System          string       `json:"system"`
	ExternalID      string       `json:"external_id"`
	Description     string       `json:"description"`
	Tags            []string     `json:"tags"`
	Version         uint64       `json:"version"`
	SourceStamp     string       `json:"source_stamp"`
	History         []changeWire `json:"history"`
}

func (w *ticketWire) ticket() (*Ticket, error) {
	var p timeParser
	t := &Ticket{
		ID: w.ID, System: w.System, ExternalID: w.ExternalID, Subject: w.Subject, Description: w.Description,
		Status: w.Status, Type: w.Type, SubType: w.SubType, Source: w.Source, Priority: w.Priority,
		Department: w.Department, Assignee: w.Assignee, CustomerID: w.CustomerID, Segment: w.Segment,
		Touchpoint: w.Touchpoint, Escalated: w.Escalated, Version: w.Version, SourceStamp: w.SourceStamp,
		CreatedAt:       p.parse("created_at", w.CreatedAt),
		FirstResponseAt: p.parse("first_response_at", w.FirstResponseAt),
		ResolvedAt:      p.parse("resolved_at", w.ResolvedAt),
		SLADueAt:        p.parse("sla_due_at", w.SLADueAt),
		UpdatedAt:       p.parse("updated_at", w.UpdatedAt),
	}
	if len(w.Tags) > 0 {
		t.Tags = w.Tags
	}
	if len(w.History) > 0 {
		t.History = make([]Change, len(w.History))
		for i, c := range w.History {
			t.History[i] = Change{At: p.parse("history.at", c.At), By: c.By, Field: c.Field, Old: c.Old, New: c.New}
		}
	}
	return t, p.err
}

type feedbackWire struct {
	Kind       string   `json:"kind"`
	ID         string   `json:"id"`
	Survey     string   `json:"survey"`
	Score      *int     `json:"score"`
	At         *string  `json:"at"`
	CustomerID string   `json:"customer_id"`
	Segment    string   `json:"segment"`
	Touchpoint string   `json:"touchpoint"`
	TicketID   *string  `json:"ticket_id"`
	Sentiment  *float64 `json:"sentiment"`
	SurveyKind string   `json:"survey_kind"`
	Channel    string   `json:"channel"`
	Comment    string   `json:"comment"`
}

func (w *feedbackWire) feedback() (*Feedback, error) {
	if w.Score == nil {
		return nil, errors.New(`missing key "score"`)
	}
	var p timeParser
	f := &Feedback{
		ID: w.ID, Survey: w.Survey, Score: *w.Score, At: p.parse("at", w.At),
		CustomerID: w.CustomerID, Segment: w.Segment, Touchpoint: w.Touchpoint,
		Kind: w.SurveyKind, Channel: w.Channel, Sentiment: w.Sentiment, Comment: w.Comment,
	}
	if w.TicketID != nil {
		f.TicketID = *w.TicketID
	}
	return f, p.err
}

type eventWire struct {
	Kind       string  `json:"kind"`
	ID         string  `json:"id"`
	Type       string  `json:"type"`
	At         *string `json:"at"`
	CustomerID string  `json:"customer_id"`
	Segment    string  `json:"segment"`
	Variant    *string `json:"variant"`
	OrderID    *string `json:"order_id"`
	Amount     *int64  `json:"amount"`
	Digital    bool    `json:"digital"`
	PlacedAt   *string `json:"placed_at"`
}

func (w *eventWire) event() (*Event, error) {
	var p timeParser
	e := &Event{
		ID: w.ID, Type: w.Type, At: p.parse("at", w.At), CustomerID: w.CustomerID, Segment: w.Segment,
		Digital: w.Digital, PlacedAt: p.parse("placed_at", w.PlacedAt),
	}
	if w.Variant != nil {
		e.Variant = *w.Variant
	}
	if w.OrderID != nil {
		e.OrderID = *w.OrderID
	}
	if w.Amount != nil {
		e.Amount = *w.Amount
	}
	return e, p.err
}

// checkUTF8 refuses invalid UTF-8 and \u escapes of unpaired surrogates.
func checkUTF8(line []byte) error {
	if !utf8.Valid(line) {
		for i := 0; i < len(line); {
			r, size := utf8.DecodeRune(line[i:])
			if r == utf8.RuneError && size <= 1 {
				return fmt.Errorf("invalid UTF-8 at byte %d: write the file as UTF-8", i)
			}
			i += size
		}
	}
	for i := 0; i < len(line); i++ {
		if line[i] != '\\' {
			continue
		}
		if i+5 < len(line) && line[i+1] == 'u' {
			if r, ok := hex4(line[i+2 : i+6]); ok && utf16.IsSurrogate(r) {
				lo, lok := rune(0), false
				if i+11 < len(line) && line[i+6] == '\\' && line[i+7] == 'u' {
					lo, lok = hex4(line[i+8 : i+12])
				}
				if r >= 0xdc00 || !lok || lo < 0xdc00 || lo > 0xdfff {
					return fmt.Errorf("unpaired surrogate escape at byte %d: not valid UTF-16, so not a character", i)
				}
				i += 11
				continue
			}
		}
		i++ // skip the escaped character: an escaped backslash before a u is no escape
	}
	return nil
}

func hex4(b []byte) (rune, bool) {
	var r rune
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
