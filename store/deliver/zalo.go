package deliver

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultZaloURL is the ZNS template-message endpoint.
const DefaultZaloURL = "https://business.openapi.zalo.me/message/template"

// Zalo sends ZNS template messages: POST DefaultZaloURL with the OA's
// access token in the access_token header and
//
//	{"phone": "84912345678", "template_id": "231045",
//	 "template_data": {...}, "tracking_id": "<request key>"}
//
// Zalo answers {"error": 0, "message": "Success", "data": {"msg_id",
// "sent_time", "quota": {...}}}; a non-zero error is a failure. Which
// failures are retried follows Zalo's table of ZNS error codes
// (https://zalo.cloud/zns/guidelines/handle-error-code, docs/contacts.md):
// -100 "Unknown error: try again later" is retried; the codes that table
// gives for a request that can never succeed as sent (-101 to -112: the
// application, the method, the phone number, the template and its data)
// fail it at once; any other code is retried with backoff until the
// dead-letter, so a cause that passes (an exhausted quota, an access token
// being refreshed) gets its chance and a lasting one costs a few tries.
type Zalo struct {
	URL   string
	Token string
	// TokenSource, when set, gives the token before each send instead of
	// Token: an OA access token lasts about a day, and the job that
	// refreshes it rewrites its file; a send after that takes the new one
	// without a restart (a send refused for the old one is retried).
	TokenSource func() (string, error)
	Templates   map[string]string // request kind → template_id
	Client      *http.Client
}

func (z *Zalo) Name() string     { return "zalo" }
func (z *Zalo) Idempotent() bool { return false }

// zaloPermanent says whether a ZNS error code means the request can never
// succeed as sent (Zalo's table, -101 to -112).
func zaloPermanent(code int) bool { return code <= -101 && code >= -112 }

type zaloRequest struct {
	Phone        string            `json:"phone"`
	TemplateID   string            `json:"template_id"`
	TemplateData map[string]string `json:"template_data"`
	TrackingID   string            `json:"tracking_id"`
}

type zaloReply struct {
	Error   *int   `json:"error"`
	Message string `json:"message"`
	Data    struct {
		MsgID    string          `json:"msg_id"`
		SentTime json.RawMessage `json:"sent_time"`
		Quota    json.RawMessage `json:"quota"`
	} `json:"data"`
}

func (z *Zalo) Send(ctx context.Context, m Message) (Outcome, error) {
	phone := zaloPhone(m.Recipient.Phone)
	if phone == "" {
		return Outcome{}, permanent("no phone number for customer %s in the contacts directory", m.Request.CustomerID)
	}
	tpl := z.Templates[m.Request.Purpose]
	if tpl == "" {
		return Outcome{}, permanent("no ZNS template_id configured for %s ([contacts.zalo] templates)", m.Request.Purpose)
	}
	data := map[string]string{"customer_name": m.Recipient.Name, "ticket_id": m.Request.TicketID, "purpose": m.Request.Purpose}
	if !m.Request.DueAt.IsZero() {
		data["due_at"] = m.Request.DueAt.Format("15:04 02/01/2006")
	}
	body, err := json.Marshal(zaloRequest{Phone: phone, TemplateID: tpl, TemplateData: data, TrackingID: trackingID(m.Request.Key)})
	if err != nil {
		return Outcome{}, permanent("zalo: %v", err)
	}
	url := z.URL
	if url == "" {
		url = DefaultZaloURL
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return Outcome{}, permanent("zalo: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	token := z.Token
	if z.TokenSource != nil {
		if token, err = z.TokenSource(); err != nil {
			return Outcome{}, temporary("zalo: access token: %v", err)
		}
	}
	req.Header.Set("access_token", token)
	client := z.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return Outcome{}, temporary("zalo: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode == 429 || resp.StatusCode >= 500 {
		return Outcome{}, temporary("zalo: HTTP %d", resp.StatusCode)
	}
	var r zaloReply
	if err := json.Unmarshal(raw, &r); err != nil || r.Error == nil {
		return Outcome{}, temporary("zalo: HTTP %d: the answer is not Zalo's JSON", resp.StatusCode)
	}
	switch code := *r.Error; {
	case code == 0:
		return Outcome{Status: StatusSent, MessageID: r.Data.MsgID}, nil
	case zaloPermanent(code):
		return Outcome{}, permanent("zalo: error %d: %s", code, clip(r.Message))
	default:
		return Outcome{}, temporary("zalo: error %d: %s", code, clip(r.Message))
	}
}

// zaloPhone writes a Vietnamese number as ZNS wants it: 84 and the
// subscriber number, digits only (0912… and +84912… become 84912…).
func zaloPhone(p string) string {
	var b strings.Builder
	for _, r := range p {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	switch {
	case d == "":
		return ""
	case strings.HasPrefix(d, "84"):
		return d
	case strings.HasPrefix(d, "0"):
		return "84" + d[1:]
	}
	return "84" + d
}

// trackingID is the request key, kept to 48 characters for tracking_id.
func trackingID(key string) string {
	if len(key) <= 48 {
		return key
	}
	return key[:32] + "-" + strconv.FormatUint(fnv64(key), 16)
}

func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
