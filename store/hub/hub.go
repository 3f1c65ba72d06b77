// Package hub is the reference sync API server: an HTTP JSON front to a
// cxtop store that clients pull changes from and push triage actions to.
// The protocol is described in docs/sync-api.md.
package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
)

// Page sizes a client may ask for.
const (
	DefaultPageSize = 1000
	MaxPageSize     = 5000
)

// MaxPageBytes bounds the records of one changes page; a page always holds
// at least one record, and the largest (model.MaxRecordBytes) still fits
// in what a client reads (replica.MaxAnswerBytes).
const MaxPageBytes = 32 << 20

// maxBody bounds what a client may POST.
const maxBody = 8 << 20

// Options configure a hub.
type Options struct {
	// Token, when set, is required as "Authorization: Bearer <token>" on
	// every request but /healthz; its client is named "client". Clients
	// adds named clients with their own tokens. With neither, any request
	// is let in as "anonymous".
	Token   string
	Clients []Client
	// Taxonomy validates ingested records and triage actions.
	Taxonomy model.Taxonomy
	// Rate limits requests per second over all clients (0: no limit);
	// Burst is how many may come at once (default: the rate, at least 1).
	Rate  float64
	Burst int
	// Now is the clock (tests); default time.Now.
	Now func() time.Time
	// Forward queues every applied action in the hub's outbox too, for the
	// sync client that forwards them to the hub's own source (Zendesk, with
	// `cxtop hub --source zendesk`); Forwarded is called after each one.
	Forward   bool
	Forwarded func()
}

// Server serves one store.
type Server struct {
	st       *store.Store
	opt      Options
	id       string
	limiter  *limiter
	clients  []Client
	failures *failures
}

// New makes a hub over st, which must be writable: the hub owns its store
// (clients never write to it but through this API).
func New(st *store.Store, opt Options) (*Server, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Taxonomy.Statuses == nil {
		opt.Taxonomy = model.DefaultTaxonomy()
	}
	id, err := st.ID()
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, fmt.Errorf("hub: store %s is read-only: the hub needs to write to its own store", st.Path())
	}
	clients := append([]Client(nil), opt.Clients...)
	if opt.Token != "" {
		clients = append(clients, Client{Name: "client", Token: opt.Token})
	}
	for _, c := range clients {
		if c.Token == "" || c.Name == "" || !model.Printable(c.Name) {
			return nil, fmt.Errorf("hub: client %q: a client needs a printable name and a non-empty token", c.Name)
		}
	}
	return &Server{st: st, opt: opt, id: id, limiter: newLimiter(opt.Rate, opt.Burst, opt.Now), clients: clients, failures: newFailures(opt.Now)}, nil
}

// Handler routes the API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /v1/changes", s.guard(s.changes))
	mux.Handle("POST /v1/ingest", s.guard(s.ingest))
	mux.Handle("POST /v1/actions", s.guard(s.action))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no such endpoint: %s %s (see docs/sync-api.md)", r.Method, r.URL.Path)})
	})
	return mux
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	seq, err := s.st.Seq()
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, apiError{Error: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "seq": seq})
}

// changes answers GET /v1/changes?cursor=C&limit=N. The body is written by
// hand around the stored canonical JSON, which is sent as it is stored.
func (s *Server) changes(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := DefaultPageSize
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxPageSize {
			writeError(w, http.StatusBadRequest, apiError{Error: fmt.Sprintf("limit %q: want a number from 1 to %d", v, MaxPageSize), Field: "limit"})
			return
		}
		limit = n
	}
	after, err := parseCursor(s.id, q.Get("cursor"))
	if errors.Is(err, errCursorExpired) {
		writeError(w, http.StatusGone, apiError{Error: err.Error(), Code: "cursor_expired", Field: "cursor"})
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, apiError{Error: err.Error(), Field: "cursor"})
		return
	}
	// A cursor past the end comes from a later state of this store (it was
	// restored from an older snapshot): resuming from it would skip records.
	if seq, err := s.st.Seq(); err == nil && after > seq {
		writeError(w, http.StatusGone, apiError{Error: fmt.Sprintf("cursor expired: it is ahead of this hub's store (sequence %d > %d; restored from a snapshot?): start again without a cursor", after, seq), Code: "cursor_expired", Field: "cursor"})
		return
	}
	page, err := s.st.ChangeLogBytes(after, limit, MaxPageBytes)
	lines, last, more := page.Lines, page.Last, page.HasMore
	if err != nil {
		writeError(w, http.StatusInternalServerError, apiError{Error: err.Error()})
		return
	}
	// The frame around the lines is sized with the cursor: at 64 bytes the
	// body outgrew its array at the last append and a 5,000-record page
	// (~2.5 MB) was copied once more.
	cursor := formatCursor(s.id, last)
	size := 128 + len(cursor)
	for _, l := range lines {
		size += len(l) + 1
	}
	body := make([]byte, 0, size)
	body = append(body, `{"records":[`...)
	for i, l := range lines {
		if i > 0 {
			body = append(body, ',')
		}
		body = append(body, l...)
	}
	body = append(body, ']')
	if len(page.Deleted) > 0 {
		// Records deleted at the source: replicas remove them too.
		d, err := json.Marshal(page.Deleted)
		if err != nil {
			writeError(w, http.StatusInternalServerError, apiError{Error: err.Error()})
			return
		}
		body = append(body, `,"deleted":`...)
		body = append(body, d...)
	}
	body = append(body, `,"next_cursor":"`...)
	body = append(body, cursor...)
	body = append(body, `","has_more":`...)
	body = strconv.AppendBool(body, more)
	body = append(body, "}\n"...)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// ListenAndServe serves h on addr until ctx ends, then shuts down
// gracefully (in-flight requests get up to 5 s). ready, when not nil, gets
// the bound address once the listener is open. lim bounds the connections
// (zero values: the defaults).
func ListenAndServe(ctx context.Context, addr string, h http.Handler, lim ConnLimits, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("hub: listen on %s: %w", addr, err)
	}
	if ready != nil {
		ready(ln.Addr())
	}
	return Serve(ctx, ln, h, lim)
}

// Timeouts that keep a slow or stuck client from holding a connection:
// the headers must come within HeaderTimeout of connecting (a silent
// connection costs seconds), the whole request within ReadTimeout, and a
// kept-alive connection is closed after IdleTimeout without a request.
const (
	HeaderTimeout = 5 * time.Second
	ReadTimeout   = 30 * time.Second
	WriteTimeout  = 60 * time.Second
	IdleTimeout   = 60 * time.Second
)

// Serve serves h on ln until ctx ends, with the timeouts above and the
// connection bounds of lim (LimitListener).
func Serve(ctx context.Context, ln net.Listener, h http.Handler, lim ConnLimits) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: HeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    64 << 10,
	}
	ln = LimitListener(ln, lim)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("hub: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("hub: shutdown: %w", err)
	}
	<-errc
	return nil
}
