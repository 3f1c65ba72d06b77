// Package zdfake is a local Zendesk Support for tests: the endpoints cxtop
// uses, with the request and answer shapes of Zendesk's API reference.
//
//   - GET /api/v2/incremental/tickets/cursor.json (start_time or cursor,
//     per_page, include=users,groups,metric_sets, support_type_scope:
//     "all", "agent" or "ai_agent", default "agent", so the tickets AIAgent
//     marks are left out unless asked for; another value is a 400):
//     {"tickets", "users", "groups", "metric_sets", "after_cursor",
//     "after_url", "before_cursor", "before_url", "end_of_stream"}; a
//     deleted ticket comes with status "deleted".
//   - PUT /api/v2/tickets/{id}.json {"ticket": {...}} with safe_update and
//     updated_stamp: 409 {"error": "UpdateConflict", ...} when the stamp is
//     not the ticket's updated_at; additional_tags, remove_tags, comment.
//   - GET /api/v2/tickets/{id}.json, GET /api/v2/tickets/{id}/comments.json.
//   - 429 with Retry-After on the requests Fail429 names.
//
// Changes are stamped with a clock that moves one second per change, so
// updated_at and generated_timestamp move as Zendesk's do.
package zdfake

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Ticket is a ticket as the fake keeps it: the JSON object it serves.
type Ticket map[string]any

// Server is a fake Zendesk account.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	clock    time.Time
	tickets  map[int64]Ticket
	log      []int64 // ticket ids in change order; the cursor is a position
	users    map[int64]string
	groups   map[int64]string
	metrics  map[int64]map[string]any
	comments map[int64][]map[string]any
	aiAgent  map[int64]bool // tickets handled by an AI agent
	requests int
	// Fail429 answers these request numbers (1-based) with 429 and
	// Retry-After: RetryAfter.
	Fail429    map[int]bool
	RetryAfter string
	// Auth, when set, is the Authorization header every request needs.
	Auth string
	// Puts counts the ticket updates applied; Conflicts those refused.
	Puts, Conflicts int
	// Queries records each export request's query string.
	Queries []string
}

// New starts a fake account whose clock starts at start.
func New(start time.Time) *Server {
	s := &Server{clock: start.UTC().Truncate(time.Second), tickets: map[int64]Ticket{}, users: map[int64]string{},
		groups: map[int64]string{}, metrics: map[int64]map[string]any{}, comments: map[int64][]map[string]any{},
		aiAgent: map[int64]bool{}, RetryAfter: "1"}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/incremental/tickets/cursor.json", s.export)
	mux.HandleFunc("PUT /api/v2/tickets/{file}", s.update)
	mux.HandleFunc("GET /api/v2/tickets/{file}", s.show)
	mux.HandleFunc("GET /api/v2/tickets/{id}/comments.json", s.listComments)
	mux.HandleFunc("GET /api/v2/groups.json", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		all := map[int64]bool{}
		for id := range s.groups {
			all[id] = true
		}
		writeJSON(w, http.StatusOK, map[string]any{"groups": s.sideGroups(all), "next_page": nil, "previous_page": nil, "count": len(all)})
	})
	mux.HandleFunc("GET /api/v2/users.json", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		all := map[int64]bool{}
		for id := range s.users {
			all[id] = true
		}
		writeJSON(w, http.StatusOK, map[string]any{"users": s.sideUsers(all), "next_page": nil, "previous_page": nil, "count": len(all)})
	})
	s.Server = httptest.NewServer(s.guard(mux))
	return s
}

func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests++
		n := s.requests
		fail := s.Fail429[n]
		auth := s.Auth
		s.mu.Unlock()
		if auth != "" && r.Header.Get("Authorization") != auth {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "Couldn't authenticate you"})
			return
		}
		if fail {
			w.Header().Set("Retry-After", s.RetryAfter)
			writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": "TooManyRequests", "description": "Rate limit exceeded"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// User and Group name side-loaded people and groups.
func (s *Server) User(id int64, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id] = name
}

func (s *Server) Group(id int64, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groups[id] = name
}

// Metrics sets a ticket's metric set (reply and full resolution minutes,
// calendar; solved_at).
func (s *Server) Metrics(id int64, replyMinutes, resolutionMinutes any, solvedAt any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.metrics[id] = map[string]any{
		"id": id + 900000, "ticket_id": id,
		"reply_time_in_minutes":           map[string]any{"calendar": replyMinutes, "business": replyMinutes},
		"full_resolution_time_in_minutes": map[string]any{"calendar": resolutionMinutes, "business": resolutionMinutes},
		"solved_at":                       solvedAt,
	}
}

// SetClock sets the time of the next change (less a second).
func (s *Server) SetClock(t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock = t.UTC().Truncate(time.Second)
}

// tick moves the clock one second and returns it.
func (s *Server) tick() time.Time {
	s.clock = s.clock.Add(time.Second)
	return s.clock
}

// Put creates or replaces a ticket (fields as Zendesk names them); id,
// created_at, updated_at and generated_timestamp are set by the fake when
// missing. It returns the ticket's updated_at.
func (s *Server) Put(t Ticket) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := toInt(t["id"])
	now := s.tick()
	if _, ok := t["created_at"]; !ok {
		if old, ok := s.tickets[id]; ok {
			t["created_at"] = old["created_at"]
		} else {
			t["created_at"] = now.Format(time.RFC3339)
		}
	}
	t["updated_at"] = now.Format(time.RFC3339)
	t["generated_timestamp"] = now.Unix()
	t["url"] = fmt.Sprintf("%s/api/v2/tickets/%d.json", s.URL, id)
	s.tickets[id] = t
	s.log = append(s.log, id)
	return t["updated_at"].(string)
}

// AIAgent marks a ticket as handled by an AI agent: the export shows it
// only with support_type_scope "all" or "ai_agent".
func (s *Server) AIAgent(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.aiAgent[id] = true
}

// Change edits a ticket as an agent in Zendesk would (a new updated_at).
func (s *Server) Change(id int64, fields map[string]any) {
	s.mu.Lock()
	t := clone(s.tickets[id])
	s.mu.Unlock()
	for k, v := range fields {
		t[k] = v
	}
	delete(t, "updated_at")
	s.Put(t)
}

// Delete deletes a ticket: the export shows it once more, with status
// "deleted".
func (s *Server) Delete(id int64) { s.Change(id, map[string]any{"status": "deleted"}) }

// Get returns a copy of a ticket.
func (s *Server) Get(id int64) Ticket {
	s.mu.Lock()
	defer s.mu.Unlock()
	return clone(s.tickets[id])
}

// Comments returns a ticket's comment bodies.
func (s *Server) Comments(id int64) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, c := range s.comments[id] {
		out = append(out, c["body"].(string))
	}
	return out
}

func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Queries = append(s.Queries, r.URL.RawQuery)
	pos := 0
	switch c := q.Get("cursor"); {
	case c != "":
		b, err := base64.StdEncoding.DecodeString(c)
		n, err2 := strconv.Atoi(strings.TrimPrefix(string(b), "pos:"))
		if err != nil || err2 != nil || n < 0 || n > len(s.log) {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": "InvalidCursor", "description": "cursor is not valid"})
			return
		}
		pos = n
	case q.Get("start_time") != "":
		st, err := strconv.ParseInt(q.Get("start_time"), 10, 64)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": "InvalidValue", "description": "start_time"})
			return
		}
		for pos < len(s.log) && toInt(s.tickets[s.log[pos]]["generated_timestamp"]) < st {
			pos++
		}
	default:
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "InvalidValue", "description": "start_time or cursor is required"})
		return
	}
	scope := q.Get("support_type_scope")
	switch scope {
	case "":
		scope = "agent"
	case "all", "agent", "ai_agent":
	default:
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "InvalidValue", "description": "support_type_scope must be all, agent or ai_agent"})
		return
	}
	perPage := 1000
	if v, err := strconv.Atoi(q.Get("per_page")); err == nil && v > 0 && v < perPage {
		perPage = v
	}
	includes := strings.Split(q.Get("include"), ",")
	var tickets []Ticket
	users, groups := map[int64]bool{}, map[int64]bool{}
	var metrics []map[string]any
	for pos < len(s.log) && len(tickets) < perPage {
		id := s.log[pos]
		pos++
		if slices.Contains(s.log[pos:], id) {
			continue // a later change of the same ticket comes further on
		}
		if scope != "all" && s.aiAgent[id] != (scope == "ai_agent") {
			continue
		}
		t := s.tickets[id]
		tickets = append(tickets, t)
		for _, k := range []string{"requester_id", "assignee_id", "submitter_id"} {
			if v := toInt(t[k]); v != 0 {
				users[v] = true
			}
		}
		if v := toInt(t["group_id"]); v != 0 {
			groups[v] = true
		}
		if m, ok := s.metrics[id]; ok {
			metrics = append(metrics, m)
		}
	}
	cursor := base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("pos:%d", pos)))
	out := map[string]any{
		"tickets": nonNil(tickets), "after_cursor": cursor,
		"after_url":     fmt.Sprintf("%s/api/v2/incremental/tickets/cursor.json?cursor=%s", s.URL, cursor),
		"before_cursor": nil, "before_url": nil, "end_of_stream": pos == len(s.log),
	}
	if slices.Contains(includes, "users") {
		out["users"] = s.sideUsers(users)
	}
	if slices.Contains(includes, "groups") {
		out["groups"] = s.sideGroups(groups)
	}
	if slices.Contains(includes, "metric_sets") {
		out["metric_sets"] = nonNil(metrics)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) sideUsers(ids map[int64]bool) []map[string]any {
	out := []map[string]any{}
	for id := range ids {
		if n, ok := s.users[id]; ok {
			out = append(out, map[string]any{"id": id, "name": n, "role": "agent", "email": fmt.Sprintf("u%d@example.com", id)})
		}
	}
	slices.SortFunc(out, func(a, b map[string]any) int { return int(toInt(a["id"]) - toInt(b["id"])) })
	return out
}

func (s *Server) sideGroups(ids map[int64]bool) []map[string]any {
	out := []map[string]any{}
	for id := range ids {
		if n, ok := s.groups[id]; ok {
			out = append(out, map[string]any{"id": id, "name": n})
		}
	}
	slices.SortFunc(out, func(a, b map[string]any) int { return int(toInt(a["id"]) - toInt(b["id"])) })
	return out
}

func ticketID(r *http.Request, name string) (int64, bool) {
	v := strings.TrimSuffix(r.PathValue(name), ".json")
	id, err := strconv.ParseInt(v, 10, 64)
	return id, err == nil
}

func (s *Server) show(w http.ResponseWriter, r *http.Request) {
	id, ok := ticketID(r, "file")
	s.mu.Lock()
	defer s.mu.Unlock()
	t, found := s.tickets[id]
	if !ok || !found || t["status"] == "deleted" {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "RecordNotFound", "description": "Not found"})
		return
	}
	out := map[string]any{"ticket": t}
	if strings.Contains(r.URL.Query().Get("include"), "users") {
		out["users"] = s.sideUsers(map[int64]bool{toInt(t["assignee_id"]): true, toInt(t["requester_id"]): true})
		out["groups"] = s.sideGroups(map[int64]bool{toInt(t["group_id"]): true})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) listComments(w http.ResponseWriter, r *http.Request) {
	id, _ := ticketID(r, "id")
	s.mu.Lock()
	defer s.mu.Unlock()
	list := slices.Clone(s.comments[id])
	slices.Reverse(list)
	writeJSON(w, http.StatusOK, map[string]any{"comments": nonNil(list), "next_page": nil, "previous_page": nil, "count": len(list)})
}

func (s *Server) update(w http.ResponseWriter, r *http.Request) {
	id, ok := ticketID(r, "file")
	var req struct {
		Ticket map[string]any `json:"ticket"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Ticket == nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "InvalidJSON", "description": "body must be {\"ticket\": {...}}"})
		return
	}
	s.mu.Lock()
	t, found := s.tickets[id]
	if !ok || !found || t["status"] == "deleted" {
		s.mu.Unlock()
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "RecordNotFound", "description": "Not found"})
		return
	}
	f := req.Ticket
	if f["safe_update"] == true && f["updated_stamp"] != t["updated_at"] {
		s.Conflicts++
		s.mu.Unlock()
		writeJSON(w, http.StatusConflict, map[string]any{"error": "UpdateConflict",
			"description": "Safe Update prevented the update due to outdated ticket data. Please fetch the latest ticket data and try again."})
		return
	}
	if st, ok := f["status"].(string); ok && !slices.Contains([]string{"new", "open", "pending", "hold", "solved", "closed"}, st) {
		s.mu.Unlock()
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": "RecordInvalid", "description": "Record validation errors",
			"details": map[string]any{"status": []map[string]any{{"description": "Status: is invalid"}}}})
		return
	}
	t = clone(t)
	for _, k := range []string{"status", "priority", "group_id", "assignee_id", "type"} {
		if v, ok := f[k]; ok {
			t[k] = v
		}
	}
	tags, _ := t["tags"].([]any)
	for _, v := range asList(f["additional_tags"]) {
		if !slices.Contains(tags, v) {
			tags = append(tags, v)
		}
	}
	if rm := asList(f["remove_tags"]); len(rm) > 0 {
		tags = slices.DeleteFunc(tags, func(v any) bool { return slices.Contains(rm, v) })
	}
	t["tags"] = nonNil(tags)
	if c, ok := f["comment"].(map[string]any); ok {
		s.comments[id] = append(s.comments[id], map[string]any{"id": len(s.comments[id]) + 1, "body": c["body"], "public": c["public"]})
	}
	s.Puts++
	delete(t, "updated_at")
	s.mu.Unlock()
	s.Put(t)
	s.mu.Lock()
	out := map[string]any{"ticket": s.tickets[id], "audit": map[string]any{"id": s.Puts, "ticket_id": id, "events": []any{}}}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func nonNil[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

func clone(t Ticket) Ticket {
	b, _ := json.Marshal(t)
	var c Ticket
	json.Unmarshal(b, &c)
	return c
}

func toInt(v any) int64 {
	switch n := v.(type) {
	case int:
		return int64(n)
	case int64:
		return n
	case float64:
		return int64(n)
	case json.Number:
		i, _ := n.Int64()
		return i
	case string:
		i, _ := strconv.ParseInt(n, 10, 64)
		return i
	}
	return 0
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
