package hub

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
)

// ingest answers POST /v1/ingest {"records":[...]}: feedback and events
// from survey tools, the chatbot, web forms. The request is all or nothing:
// the first bad record is named and nothing is written.
func (s *Server) ingest(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Records []json.RawMessage `json:"records"`
	}
	if err := decodeBody(w, r, &req); err != nil {
		writeError(w, http.StatusBadRequest, apiError{Error: "ingest: " + err.Error() + `: send {"records":[...export objects...]}`})
		return
	}
	records := make([]model.Record, 0, len(req.Records))
	for i, raw := range req.Records {
		i := i
		rec, err := model.ParseRecord(raw)
		if err != nil {
			writeError(w, http.StatusBadRequest, apiError{Error: fmt.Sprintf("record %d: %v", i, err), Index: &i})
			return
		}
		if rec.Ticket != nil {
			writeError(w, http.StatusBadRequest, apiError{Error: fmt.Sprintf("record %d: ticket %s: tickets are not ingested: send feedback and events here, triage actions to /v1/actions", i, rec.Ticket.ID),
				Index: &i, Kind: model.RecordTicket, ID: rec.Ticket.ID, Field: "kind"})
			return
		}
		if err := s.opt.Taxonomy.Validate(rec); err != nil {
			e := apiError{Error: fmt.Sprintf("record %d: %v", i, err), Index: &i, Kind: rec.Kind(), ID: rec.ID()}
			var ve *model.ValidationError
			if errors.As(err, &ve) {
				e.Field = ve.Field
			}
			writeError(w, http.StatusBadRequest, e)
			return
		}
		records = append(records, rec)
	}
	res, err := s.st.Write(records)
	if err != nil {
		writeError(w, http.StatusInternalServerError, apiError{Error: "ingest: " + err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"inserted": res.Inserted, "updated": res.Updated, "unchanged": res.Unchanged})
}

// action answers POST /v1/actions with a model.Action. Its id is the
// idempotency key: the answer is stored with the change in one
// transaction, and a retry of the same action gets the same answer
// without applying twice; the same key with another action is refused.
//
// The action is checked whole before anything is written, and the hub
// sets who and when: "by" is the authenticated client (with the user the
// client names after a slash), "at" is the hub's clock. An action based on
// an older version is refused with 409 and the current ticket; the refused
// change is kept in the ticket's history as one bounded "conflict" entry
// (without a new version), so every replica shows it.
func (s *Server) action(w http.ResponseWriter, r *http.Request) {
	var a model.Action
	if err := decodeBody(w, r, &a); err != nil {
		writeError(w, http.StatusBadRequest, apiError{Error: "action: " + err.Error() + ": send one triage action as JSON (docs/sync-api.md)"})
		return
	}
	a.By = author(clientOf(r), a.By)
	a.At = s.opt.Now().UTC()
	if err := s.opt.Taxonomy.CheckAction(a); err != nil {
		e := apiError{Error: "action: " + err.Error(), ID: a.TicketID}
		var ve *model.ValidationError
		if errors.As(err, &ve) {
			e.Field = ve.Field
		}
		writeError(w, http.StatusBadRequest, e)
		return
	}
	digest := actionDigest(a)
	var status int
	var body []byte
	forwarded := false
	var current *model.Ticket
	_, err := s.st.Update(func(tx *store.Writer) error {
		key := "action/" + a.ID
		if prev := tx.Reply(key); len(prev) > 2 {
			status, body = replayReply(prev, digest, a)
			if t, err := tx.Ticket(a.TicketID); err == nil {
				current = t
			}
			return nil
		}
		t, err := tx.Ticket(a.TicketID)
		if errors.Is(err, store.ErrNoSuchKey) {
			// Not stored: the ticket may yet arrive.
			status, body = http.StatusNotFound, mustJSON(apiError{Error: fmt.Sprintf("action %s: ticket %s is not known to the hub", a.ID, a.TicketID), ID: a.TicketID, Field: "ticket_id"})
			return nil
		}
		if err != nil {
			return err
		}
		current = t
		updated, err := s.opt.Taxonomy.ApplyAction(t, a)
		var conflict *model.ErrConflict
		switch {
		case errors.As(err, &conflict):
			if len(t.History) < model.MaxHistory {
				kept := t.Clone()
				kept.History = append(kept.History, model.Change{At: a.At, By: a.By, Field: "conflict",
					Old: fmt.Sprintf("v%d", a.BaseVersion), New: describe(a)})
				if err := tx.Put(model.Record{Ticket: kept}); err != nil {
					return err
				}
				current = kept
			}
			status = http.StatusConflict
			body = mustJSON(apiError{Error: fmt.Sprintf("action %s: %v: the hub's version wins", a.ID, conflict), Code: "conflict",
				ID: a.TicketID, Field: "base_version"})
		case err != nil:
			// The current ticket lets the client drop its local change.
			status, body = http.StatusBadRequest, mustJSON(apiError{Error: fmt.Sprintf("action %s: %v", a.ID, err), ID: a.TicketID})
		default:
			if err := tx.Put(model.Record{Ticket: updated}); err != nil {
				return err
			}
			if s.opt.Forward {
				if a.BaseStamp == "" {
					a.BaseStamp = t.SourceStamp
				}
				payload, err := json.Marshal(a)
				if err != nil {
					return err
				}
				if _, err := tx.Enqueue(store.OutboxAction, a.ID, payload, a.At); err != nil {
					return err
				}
				forwarded = true
			}
			current = updated
			status, body = http.StatusOK, []byte(`{"applied":true}`+"\n")
		}
		// The stored reply holds no ticket: a retry is answered with the
		// ticket as it is then, so replies stay small however large a
		// ticket grows.
		return tx.PutReply(key, storedReply(status, digest, body))
	})
	if err != nil {
		writeError(w, http.StatusInternalServerError, apiError{Error: fmt.Sprintf("action %s: %v", a.ID, err)})
		return
	}
	if forwarded && s.opt.Forwarded != nil {
		s.opt.Forwarded()
	}
	writeRaw(w, status, withTicket(body, current))
}

// author is who the hub records as having made an action: the client it
// authenticated, then the user that client names, if any ("console/an").
func author(client, claimed string) string {
	claimed = model.Sanitize(claimed)
	if claimed == "" || claimed == client {
		return client
	}
	by := client + "/" + claimed
	if len(by) > model.MaxKeyLen {
		by = by[:model.MaxKeyLen]
		for !utf8.ValidString(by) {
			by = by[:len(by)-1]
		}
	}
	return by
}

// actionDigest identifies what an action asks for, so a reused
// idempotency key can be told from a retry. "at" is left out: the hub
// sets it on each request.
func actionDigest(a model.Action) [sha256.Size]byte {
	a.At = time.Time{}
	b, _ := json.Marshal(a)
	return sha256.Sum256(b)
}

// A stored reply is the status (2 bytes), a 0 byte, the digest of the
// action it answered, then the body. Replies stored before the digest was
// kept start with the body's "{" after the status.
func storedReply(status int, digest [sha256.Size]byte, body []byte) []byte {
	out := make([]byte, 3, 3+len(digest)+len(body))
	binary.BigEndian.PutUint16(out, uint16(status))
	out = append(out, digest[:]...)
	return append(out, body...)
}

func replayReply(prev []byte, digest [sha256.Size]byte, a model.Action) (int, []byte) {
	status, rest := int(binary.BigEndian.Uint16(prev)), prev[2:]
	if rest[0] == 0 && len(rest) > sha256.Size {
		if !bytes.Equal(rest[1:1+sha256.Size], digest[:]) {
			return http.StatusUnprocessableEntity, mustJSON(apiError{Error: fmt.Sprintf("action %s: this idempotency key was used for a different action: give each action its own id", a.ID),
				Code: "idempotency_key_reused", ID: a.TicketID, Field: "id"})
		}
		rest = rest[1+sha256.Size:]
	}
	return status, rest
}

// withTicket adds the ticket as it is now to a reply body (a JSON object).
func withTicket(body []byte, t *model.Ticket) []byte {
	body = bytes.TrimSpace(body)
	if t == nil || len(body) < 2 || body[len(body)-1] != '}' {
		return append(body, '\n')
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return append(body, '\n')
	}
	m["ticket"] = model.AppendTicket(nil, t)
	return mustJSON(m)
}

// describe says in a few words what a refused action wanted; a note is
// named by its size and start, never copied whole.
func describe(a model.Action) string {
	var what string
	switch a.Kind {
	case model.ActionStatus:
		what = "status → " + a.Status
	case model.ActionAssign:
		what = "assign → " + a.Department + " " + a.Assignee
	case model.ActionType:
		what = "type → " + a.Type + "/" + a.SubType
	case model.ActionPriority:
		what = "priority → " + a.Priority
	case model.ActionNote:
		what = fmt.Sprintf("note of %d bytes (%q)", len(a.Note), clipRunes(a.Note, 40))
	default:
		what = a.Kind
	}
	return fmt.Sprintf("refused %s (action %s): ticket changed meanwhile", bytes.TrimSpace([]byte(what)), a.ID)
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("bad JSON body: %v", err)
	}
	if dec.More() {
		return errors.New("bad JSON body: more than one value")
	}
	return nil
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte(`{"error":"encode reply"}`)
	}
	return append(b, '\n')
}
