package hub

import (
	"encoding/json"
	"net/http"
)

// apiError is every error body: a message that says what to do, and where
// it applies, the record (its position in the request and its id) and the
// field at fault.
type apiError struct {
	Error  string          `json:"error"`
	Code   string          `json:"code,omitempty"`
	Index  *int            `json:"index,omitempty"`
	Kind   string          `json:"kind,omitempty"`
	ID     string          `json:"id,omitempty"`
	Field  string          `json:"field,omitempty"`
	Ticket json.RawMessage `json:"ticket,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"encode reply"}`)
	}
	writeRaw(w, status, append(b, '\n'))
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
}

func writeError(w http.ResponseWriter, status int, e apiError) { writeJSON(w, status, e) }
