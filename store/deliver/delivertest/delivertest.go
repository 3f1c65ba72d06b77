// Package delivertest runs local receivers for the contact drivers in
// tests: an SMTP server (emersion/go-smtp), a webhook receiver that checks
// the signature and drops repeated idempotency keys, and a Zalo ZNS
// endpoint with the documented request and answer shapes.
package delivertest

import (
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"time"

	smtp "github.com/emersion/go-smtp"

	"github.com/cxtop/cxtop/store/deliver"
)

// Mail is one message the SMTP server took.
type Mail struct {
	From string
	To   []string
	Data string
}

// SMTP is an in-process SMTP server without TLS or auth.
type SMTP struct {
	Addr string
	srv  *smtp.Server
	mu   sync.Mutex
	mail []Mail
	// Refuse, when set, answers RCPT for this address with a 550.
	Refuse string
}

// NewSMTP listens on 127.0.0.1 at a free port.
func NewSMTP() (*SMTP, error) {
	s := &SMTP{}
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	// Clients killed mid-session (the kill -9 tests) are expected here.
	srv.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.Addr, s.srv = ln.Addr().String(), srv
	go srv.Serve(ln)
	return s, nil
}

// Close stops the server.
func (s *SMTP) Close() { s.srv.Close() }

// Mails returns what was received.
func (s *SMTP) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mail...)
}

// NewSession implements smtp.Backend.
func (s *SMTP) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }

type session struct {
	s *SMTP
	m Mail
}

func (x *session) Reset()        { x.m = Mail{} }
func (x *session) Logout() error { return nil }
func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.m.From = from
	return nil
}
func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if x.s.Refuse != "" && to == x.s.Refuse {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
	}
	x.m.To = append(x.m.To, to)
	return nil
}
func (x *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.m.Data = string(b)
	x.s.mu.Lock()
	x.s.mail = append(x.s.mail, x.m)
	x.s.mu.Unlock()
	return nil
}

// Webhook is a receiver that checks each POST's signature and keeps one
// delivery per idempotency key.
type Webhook struct {
	*httptest.Server
	Secret []byte
	mu     sync.Mutex
	got    map[string]int // key → POSTs with a good signature
	bodies map[string][]byte
	bad    int
	// Fail answers this many POSTs with 503 first.
	Fail int
}

// NewWebhook starts a receiver for secret.
func NewWebhook(secret string) *Webhook {
	w := &Webhook{Secret: []byte(secret), got: map[string]int{}, bodies: map[string][]byte{}}
	w.Server = httptest.NewServer(http.HandlerFunc(w.serve))
	return w
}

func (w *Webhook) serve(rw http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	ts, sig, key := r.Header.Get(deliver.HeaderTimestamp), r.Header.Get(deliver.HeaderSignature), r.Header.Get(deliver.HeaderIdempotency)
	w.mu.Lock()
	defer w.mu.Unlock()
	if !deliver.Verify(w.Secret, ts, body, sig) || key == "" {
		w.bad++
		http.Error(rw, "bad signature", http.StatusUnauthorized)
		return
	}
	if w.Fail > 0 {
		w.Fail--
		http.Error(rw, "busy", http.StatusServiceUnavailable)
		return
	}
	w.got[key]++
	if _, dup := w.bodies[key]; dup {
		rw.WriteHeader(http.StatusOK) // a repeat: already have it
		return
	}
	w.bodies[key] = body
	rw.WriteHeader(http.StatusAccepted)
}

// Received returns the accepted keys with how many good POSTs each had,
// and the number of POSTs with a bad signature.
func (w *Webhook) Received() (map[string]int, int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := map[string]int{}
	for k, v := range w.got {
		out[k] = v
	}
	return out, w.bad
}

// Body returns the first body accepted for key.
func (w *Webhook) Body(key string) []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.bodies[key]
}

// ZaloMessage is one ZNS request the fake took.
type ZaloMessage struct {
	Phone        string            `json:"phone"`
	TemplateID   string            `json:"template_id"`
	TemplateData map[string]string `json:"template_data"`
	TrackingID   string            `json:"tracking_id"`
}

// Zalo is a ZNS endpoint: POST with the access_token header and
// {phone, template_id, template_data, tracking_id}; it answers
// {"error": 0, "message": "Success", "data": {"msg_id", "sent_time",
// "quota": {"dailyQuota", "remainingQuota"}}}. Its failures follow Zalo's
// table of ZNS error codes (https://zalo.cloud/zns/guidelines/handle-error-code):
// -108 for a phone in none of the formats the table accepts (84xxxxxxxxx,
// 0xxxxxxxxx, or the 9 digits without the 0), -109 for a template id it
// does not know, -112 for a body that is not template data; a wrong token
// gets -124, the code we know for an invalid access token but could not
// find on that page (the driver does not depend on it); and the codes in
// Errors for the phones named there.
type Zalo struct {
	*httptest.Server
	Token  string
	Errors map[string]int // phone → error code to answer
	mu     sync.Mutex
	msgs   []ZaloMessage
}

var zaloPhone = regexp.MustCompile(`^(84|0)?[35789][0-9]{8}$`)

// NewZalo starts a ZNS endpoint that accepts token.
func NewZalo(token string) *Zalo {
	z := &Zalo{Token: token, Errors: map[string]int{}}
	z.Server = httptest.NewServer(http.HandlerFunc(z.serve))
	return z
}

func (z *Zalo) serve(w http.ResponseWriter, r *http.Request) {
	reply := func(code int, msg string, data any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"error": code, "message": msg, "data": data})
	}
	if r.Method != http.MethodPost || r.URL.Path != "/message/template" {
		http.NotFound(w, r)
		return
	}
	if r.Header.Get("access_token") != z.Token {
		reply(-124, "Access token is invalid", nil)
		return
	}
	var m ZaloMessage
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
		reply(-112, "Template data invalid", nil)
		return
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	if code, ok := z.Errors[m.Phone]; ok {
		reply(code, "error for this phone", nil)
		return
	}
	switch {
	case !zaloPhone.MatchString(m.Phone):
		reply(-108, "Phone number is invalid", nil)
		return
	case m.TemplateID == "" || strings.Trim(m.TemplateID, "0123456789") != "":
		reply(-109, "Template id is invalid", nil)
		return
	}
	z.msgs = append(z.msgs, m)
	reply(0, "Success", map[string]any{"msg_id": "zns-" + m.TrackingID, "sent_time": time.Now().UnixMilli(),
		"quota": map[string]any{"dailyQuota": "500", "remainingQuota": "499"}})
}

// Messages returns what was sent.
func (z *Zalo) Messages() []ZaloMessage {
	z.mu.Lock()
	defer z.mu.Unlock()
	return append([]ZaloMessage(nil), z.msgs...)
}
