package deliver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	mail "github.com/wneessen/go-mail"
)

// Email sends each message over SMTP with go-mail: a plain-text message
// from From to the customer's address, with the request's kind's subject
// and body, a Message-ID derived from the request key and an
// X-Cxtop-Request header. SMTP 4xx answers and network errors are retried;
// 5xx answers fail the request. SMTP gives no delivery receipt: an
// accepted message is "sent".
type Email struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
	// TLS is "starttls" (required), "opportunistic", "tls" (implicit, port
	// 465) or "none".
	TLS     string
	Timeout time.Duration
}

func (e *Email) Name() string     { return "email" }
func (e *Email) Idempotent() bool { return false }

func (e *Email) Send(ctx context.Context, m Message) (Outcome, error) {
	if m.Recipient.Email == "" {
		return Outcome{}, permanent("no email address for customer %s in the contacts directory", m.Request.CustomerID)
	}
	msg := mail.NewMsg()
	if err := msg.From(e.From); err != nil {
		return Outcome{}, permanent("email: from %q: %v", e.From, err)
	}
	if err := msg.To(m.Recipient.Email); err != nil {
		return Outcome{}, permanent("email: address of customer %s: %v", m.Request.CustomerID, err)
	}
	sum := sha256.Sum256([]byte(m.Request.Key))
	id := hex.EncodeToString(sum[:12])
	msg.SetMessageIDWithValue(id + "@cxtop")
	msg.SetGenHeader("X-Cxtop-Request", m.Request.Key)
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetBodyString(mail.TypeTextPlain, m.Body)
	var opts []mail.Option
	switch e.TLS {
	case "tls":
		opts = append(opts, mail.WithSSLPort(false))
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	case "opportunistic":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	opts = append(opts, mail.WithPort(e.Port), mail.WithTimeout(e.timeout()))
	if e.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(e.Username), mail.WithPassword(e.Password))
	}
	c, err := mail.NewClient(e.Host, opts...)
	if err != nil {
		return Outcome{}, permanent("email: %v", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		var se *mail.SendError
		if errors.As(err, &se) && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
			return Outcome{}, permanent("email: %v", err)
		}
		return Outcome{}, temporary("email: %v", err)
	}
	return Outcome{Status: StatusSent, MessageID: "<" + id + "@cxtop>"}, nil
}

func (e *Email) timeout() time.Duration {
	if e.Timeout > 0 {
		return e.Timeout
	}
	return 30 * time.Second
}
