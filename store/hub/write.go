package hub

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

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
// transaction, and a retry gets the same answer without applying twice.
// An action based on an older version is refused with 409 and the current
// ticket; the refused change is kept in the ticket's history as a
// "conflict" entry (without a new version), so every replica shows it.
func (s *Server) action(w http.ResponseWriter, r *http.Request) {
	var a model.Action
	if err := decodeBody(w, r, &a); err != nil {
		writeError(w, http.StatusBadRequest, apiError{Error: "action: " + err.Error() + ": send one triage action as JSON (docs/sync-api.md)"})
		return
	}
	if a.ID == "" {
		writeError(w, http.StatusBadRequest, apiError{Error: "action: id (the idempotency key) is required", Field: "id"})
		return
	}
	var status int
	var body []byte
	forwarded := false
	_, err := s.st.Update(func(tx *store.Writer) error {
		key := "action/" + a.ID
		if prev := tx.Reply(key); len(prev) > 2 {
			status, body = int(binary.BigEndian.Uint16(prev)), prev[2:]
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
		updated, err := s.opt.Taxonomy.ApplyAction(t, a)
		var conflict *model.ErrConflict
		switch {
		case errors.As(err, &conflict):
			kept := t.Clone()
			kept.History = append(kept.History, model.Change{At: a.At.UTC(), By: a.By, Field: "conflict",
				Old: fmt.Sprintf("v%d", a.BaseVersion), New: describe(a)})
			if err := tx.Put(model.Record{Ticket: kept}); err != nil {
				return err
			}
			status = http.StatusConflict
			body = mustJSON(apiError{Error: fmt.Sprintf("action %s: %v: the hub's version wins", a.ID, conflict), Code: "conflict",
				ID: a.TicketID, Field: "base_version", Ticket: model.AppendTicket(nil, kept)})
		case err != nil:
			// The current ticket lets the client drop its local change.
			status, body = http.StatusBadRequest, mustJSON(apiError{Error: fmt.Sprintf("action %s: %v", a.ID, err), ID: a.TicketID, Ticket: model.AppendTicket(nil, t)})
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
			status = http.StatusOK
			body = mustJSON(struct {
				Applied bool            `json:"applied"`
				Ticket  json.RawMessage `json:"ticket"`
			}{true, model.AppendTicket(nil, updated)})
		}
		var head [2]byte
		binary.BigEndian.PutUint16(head[:], uint16(status))
		return tx.PutReply(key, append(head[:], body...))
	})
	if err != nil {
		writeError(w, http.StatusInternalServerError, apiError{Error: fmt.Sprintf("action %s: %v", a.ID, err)})
		return
	}
	if forwarded && s.opt.Forwarded != nil {
		s.opt.Forwarded()
	}
	writeRaw(w, status, body)
}

// describe says in a few words what a refused action wanted.
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
		what = "note: " + a.Note
	default:
		what = a.Kind
	}
	return fmt.Sprintf("refused %s (action %s): ticket changed meanwhile", bytes.TrimSpace([]byte(what)), a.ID)
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
