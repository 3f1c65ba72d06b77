package deliver

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Webhook posts each message as JSON to a URL. The body is signed with
// HMAC-SHA256 over "<timestamp>.<body>" with a shared secret:
//
//	Idempotency-Key:   <the request's key>   (the same on every retry)
//	X-Cxtop-Timestamp: <Unix seconds>
//	X-Cxtop-Signature: sha256=<hex HMAC>
//
// A 2xx (or 409: a duplicate the receiver already has) is a delivery; 408,
// 425, 429 and 5xx are retried (Retry-After honoured); other answers fail
// the request. The receiver must drop a repeated Idempotency-Key.
type Webhook struct {
	URL    string
	Secret []byte
	Client *http.Client
	Now    func() time.Time
}

// Signature headers.
const (
	HeaderIdempotency = "Idempotency-Key"
	HeaderTimestamp   = "X-Cxtop-Timestamp"
	HeaderSignature   = "X-Cxtop-Signature"
)

// Sign returns the signature header value of body sent at timestamp ts.
func Sign(secret []byte, ts string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(ts))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a signature header in constant time (for receivers).
func Verify(secret []byte, ts string, body []byte, header string) bool {
	return hmac.Equal([]byte(Sign(secret, ts, body)), []byte(header))
}

func (w *Webhook) Name() string     { return "webhook" }
func (w *Webhook) Idempotent() bool { return true }

// webhookBody is what the receiver gets.
type webhookBody struct {
	Type      string    `json:"type"` // "contact_request"
	Request   Request   `json:"request"`
	Recipient Recipient `json:"recipient"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
}

func (w *Webhook) Send(ctx context.Context, m Message) (Outcome, error) {
	body, err := json.Marshal(webhookBody{Type: "contact_request", Request: m.Request, Recipient: m.Recipient, Subject: m.Subject, Body: m.Body})
	if err != nil {
		return Outcome{}, permanent("encode: %v", err)
	}
	return w.Post(ctx, m.Request.Key, body)
}

// Post sends one signed JSON body (contact requests, alert actions).
func (w *Webhook) Post(ctx context.Context, key string, body []byte) (Outcome, error) {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	client := w.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return Outcome{}, permanent("webhook %s: %v", w.URL, err)
	}
	ts := strconv.FormatInt(now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "cxtop")
	req.Header.Set(HeaderIdempotency, key)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, Sign(w.Secret, ts, body))
	resp, err := client.Do(req)
	if err != nil {
		return Outcome{}, temporary("webhook: %v", err)
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	text := strings.TrimSpace(string(reply))
	switch s := resp.StatusCode; {
	case s >= 200 && s < 300, s == http.StatusConflict:
		return Outcome{Status: StatusDelivered, MessageID: resp.Header.Get("X-Message-Id")}, nil
	case s == 408 || s == 425 || s == 429 || s >= 500:
		e := &SendError{Temporary: true, Reason: fmt.Sprintf("webhook: HTTP %d %s", s, clip(text))}
		if n, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && n > 0 {
			e.RetryAfter = time.Duration(n) * time.Second
		}
		return Outcome{}, e
	default:
		return Outcome{}, permanent("webhook: HTTP %d %s", s, clip(text))
	}
}

func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}
