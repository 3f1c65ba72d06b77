package replica

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
)

// HubRemote speaks the cxtop hub protocol (docs/sync-api.md).
type HubRemote struct {
	base    *url.URL
	token   string
	client  *http.Client
	timeout time.Duration
}

// DefaultRequestTimeout bounds one request, body included.
const DefaultRequestTimeout = 30 * time.Second

// NewHubRemote talks to the hub at baseURL ("http://127.0.0.1:7080").
// token, when set, is sent as a bearer token; timeout bounds each request
// (default DefaultRequestTimeout).
func NewHubRemote(baseURL, token string, timeout time.Duration) (*HubRemote, error) {
	u, err := parseRemoteURL(baseURL)
	if err != nil {
		return nil, err
	}
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 4
	return &HubRemote{base: u, token: token, client: &http.Client{Transport: tr}, timeout: timeout}, nil
}

func parseRemoteURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(s, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("remote %q: want an http:// or https:// URL such as http://127.0.0.1:7080", s)
	}
	if u.User != nil {
		return nil, fmt.Errorf("remote %s: put credentials in --token or CXTOP_TOKEN, not in the URL", u.Redacted())
	}
	return u, nil
}

// Name is the hub's URL.
func (h *HubRemote) Name() string { return "hub " + h.base.String() }

func (h *HubRemote) do(ctx context.Context, method, path string, query url.Values, body []byte) ([]byte, int, http.Header, error) {
	auth := ""
	if h.token != "" {
		auth = "Bearer " + h.token
	}
	return h.doAuth(ctx, method, path, query, body, auth)
}

// doAuth sends one request with the given Authorization header value and
// reads the whole answer within the request timeout.
func (h *HubRemote) doAuth(ctx context.Context, method, path string, query url.Values, body []byte, auth string) ([]byte, int, http.Header, error) {
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	u := *h.base
	u.Path += path
	u.RawQuery = query.Encode()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, 0, nil, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("%s %s: %w", method, path, unwrapURLError(err))
	}
	defer resp.Body.Close()
	data, err := readBounded(resp, MaxAnswerBytes)
	if err != nil {
		return nil, resp.StatusCode, nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	return data, resp.StatusCode, resp.Header, nil
}

// unwrapURLError drops url.Error's quoting of the whole URL.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// httpError builds the error for a non-success answer, with the message of
// a JSON error body and the Retry-After delay.
func httpError(status int, header http.Header, body []byte) *HTTPError {
	e := &HTTPError{Status: status, RetryAfter: retryAfter(header.Get("Retry-After"))}
	var msg struct {
		Error       string `json:"error"`
		Description string `json:"description"`
	}
	if json.Unmarshal(body, &msg) == nil {
		e.Message = msg.Error
		if e.Message == "" {
			e.Message = msg.Description
		}
	}
	if e.Message == "" {
		e.Message = strings.TrimSpace(http.StatusText(status))
	}
	return e
}

// retryAfter reads Retry-After as seconds or an HTTP date.
func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

// Pull fetches GET /v1/changes.
func (h *HubRemote) Pull(ctx context.Context, cursor string, limit int) (*Page, error) {
	q := url.Values{}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	body, status, header, err := h.do(ctx, http.MethodGet, "/v1/changes", q, nil)
	if err != nil {
		return nil, err
	}
	if status == http.StatusGone {
		return nil, fmt.Errorf("%w: %s", ErrCursorExpired, httpError(status, header, body).Message)
	}
	if status != http.StatusOK {
		return nil, httpError(status, header, body)
	}
	return parseHubPage(body)
}

// parseHubPage decodes a changes page; a record that does not parse is
// quarantined with its reason, a page that is not the protocol's JSON is
// an error. A page as the hub writes it is read by parseHubPageFast.
func parseHubPage(body []byte) (*Page, error) {
	if p, ok := parseHubPageFast(body); ok {
		return p, nil
	}
	return parseHubPageJSON(body)
}

// parseHubPageJSON is parseHubPage for any layout of the JSON: the page is
// walked with a streaming decoder, each record's bytes scanned once before
// ParseRecord.
func parseHubPageJSON(body []byte) (*Page, error) {
	malformed := func(err error) error {
		return &PageError{Index: -1, Err: fmt.Errorf("changes page is not valid JSON (%v)", err)}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, malformed(fmt.Errorf("want an object, got %v %v", tok, err))
	}
	p := &Page{}
	var haveNext bool
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, malformed(err)
		}
		switch tok {
		case "records":
			if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
				return nil, malformed(fmt.Errorf(`"records" is not an array`))
			}
			for i := 0; dec.More(); i++ {
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					return nil, malformed(err)
				}
				r, err := model.ParseRecord(raw)
				if err != nil {
					// One bad record is quarantined; the rest of the page lands.
					q := store.Quarantined{Source: "hub", Reason: fmt.Sprintf("record %d: %v", i, err), Raw: append(json.RawMessage(nil), raw...)}
					var head struct{ Kind, ID any }
					if json.Unmarshal(raw, &head) == nil {
						q.Kind, q.ID = fmt.Sprint(orEmpty(head.Kind)), fmt.Sprint(orEmpty(head.ID))
					}
					p.Quarantined = append(p.Quarantined, q)
					continue
				}
				p.Records = append(p.Records, r)
			}
			if _, err := dec.Token(); err != nil {
				return nil, malformed(err)
			}
		case "deleted":
			var del []store.Deleted
			if err := dec.Decode(&del); err != nil {
				return nil, malformed(fmt.Errorf(`"deleted": %v`, err))
			}
			for _, d := range del {
				switch d.Kind {
				case model.RecordTicket, model.RecordFeedback, model.RecordEvent:
				default:
					return nil, malformed(fmt.Errorf(`"deleted": kind %q is not ticket, feedback or event`, d.Kind))
				}
			}
			p.Deleted = append(p.Deleted, del...)
		case "next_cursor":
			if err := dec.Decode(&p.Next); err != nil {
				return nil, malformed(err)
			}
			haveNext = true
		case "has_more":
			if err := dec.Decode(&p.HasMore); err != nil {
				return nil, malformed(err)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, malformed(err)
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, malformed(err)
	}
	if !haveNext {
		return nil, &PageError{Index: -1, Err: errors.New(`changes page has no "next_cursor"`)}
	}
	return p, nil
}

// Push posts an action to /v1/actions.
func (h *HubRemote) Push(ctx context.Context, a model.Action) (*PushResult, error) {
	payload, err := json.Marshal(a)
	if err != nil {
		return nil, err
	}
	body, status, header, err := h.do(ctx, http.MethodPost, "/v1/actions", nil, payload)
	if err != nil {
		return nil, err
	}
	var reply struct {
		Error  string          `json:"error"`
		Ticket json.RawMessage `json:"ticket"`
	}
	_ = json.Unmarshal(body, &reply)
	res := &PushResult{Message: reply.Error}
	switch {
	case status == http.StatusOK:
		res.Outcome = PushApplied
	case status == http.StatusConflict:
		res.Outcome = PushConflict
	case status == http.StatusBadRequest || status == http.StatusNotFound || status == http.StatusUnprocessableEntity:
		res.Outcome = PushRefused
	default:
		return nil, httpError(status, header, body)
	}
	if len(reply.Ticket) > 0 {
		r, err := model.ParseRecord(reply.Ticket)
		if err != nil || r.Ticket == nil {
			return nil, &PageError{Index: -1, Err: fmt.Errorf("action %s: the hub's ticket does not parse: %v", a.ID, err)}
		}
		res.Ticket = r.Ticket
	}
	return res, nil
}

// orEmpty turns a missing JSON value into "" rather than "<nil>".
func orEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}

// Remap parses a quarantined hub record again.
func (h *HubRemote) Remap(raw json.RawMessage) (*Page, error) {
	r, err := model.ParseRecord(raw)
	if err != nil {
		return nil, err
	}
	return &Page{Records: []model.Record{r}}, nil
}

// MaxAnswerBytes bounds one answer from a remote: a page of the largest
// records the model allows fits, an endless or hostile answer does not (a
// 256 MiB answer read whole cost 1.45 GB).
const MaxAnswerBytes = model.MaxRecordBytes + 32<<20

// readBounded reads an answer of at most limit bytes, sized from its
// Content-Length when it gives one, and fails past the limit without
// reading further.
func readBounded(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, permanent{&PageError{Index: -1, Err: fmt.Errorf("the answer is %d MiB, over the %d MiB a page may be: ask for smaller pages (--page-size)", resp.ContentLength>>20, limit>>20)}}
	}
	var buf bytes.Buffer
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength))
	}
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading the answer: %w", err)
	}
	if n > limit {
		return nil, permanent{&PageError{Index: -1, Err: fmt.Errorf("the answer is over the %d MiB a page may be: ask for smaller pages (--page-size)", limit>>20)}}
	}
	return buf.Bytes(), nil
}

// permanent marks an error no retry can fix: the same request would get
// the same answer.
type permanent struct{ error }

func (p permanent) Is(target error) bool { return target == errPermanent }
func (p permanent) Unwrap() error        { return p.error }
