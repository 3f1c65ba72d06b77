package deliver

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Message is what a driver sends for one request: the request, who it goes
// to, and the text rendered from the request kind's template.
type Message struct {
	Request   Request
	Recipient Recipient
	Subject   string
	Body      string
}

// Outcome is a driver's answer for a message the provider took.
type Outcome struct {
	Status    string // StatusSent or StatusDelivered
	MessageID string // the provider's id, when it gave one
}

// Driver sends messages of one channel.
type Driver interface {
	// Name says which driver this is ("webhook", "email", "zalo").
	Name() string
	// Send delivers m. Errors are *SendError: temporary ones are retried
	// with backoff, the others fail the request for good.
	Send(ctx context.Context, m Message) (Outcome, error)
	// Idempotent reports whether the receiver drops a repeated message by
	// its idempotency key, so a send interrupted by a crash may be retried.
	Idempotent() bool
}

// SendError is a failed send.
type SendError struct {
	Temporary  bool
	RetryAfter time.Duration // the provider's wish, 0 when it named none
	Reason     string
}

func (e *SendError) Error() string { return e.Reason }

func temporary(format string, args ...any) error {
	return &SendError{Temporary: true, Reason: fmt.Sprintf(format, args...)}
}

func permanent(format string, args ...any) error {
	return &SendError{Reason: fmt.Sprintf(format, args...)}
}

// classify turns any error into a *SendError: an unknown error (the
// network, a timeout) is temporary.
func classify(err error) *SendError {
	var se *SendError
	if errors.As(err, &se) {
		return se
	}
	return &SendError{Temporary: true, Reason: err.Error()}
}
