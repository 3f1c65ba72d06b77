package replica

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cxtop/cxtop/model"
)

// endlessRemote answers an empty page with a new cursor every time.
type endlessRemote struct{ calls int }

func (r *endlessRemote) Name() string { return "endless" }
func (r *endlessRemote) Pull(ctx context.Context, cursor string, limit int) (*Page, error) {
	r.calls++
	return &Page{Next: fmt.Sprint(r.calls), HasMore: true}, nil
}
func (r *endlessRemote) Push(context.Context, model.Action) (*PushResult, error) {
	return nil, ErrPushUnsupported
}

// sync --once ends against a remote that never runs out of empty pages.
func TestSyncStopsAfterEndlessEmptyPages(t *testing.T) {
	r := &endlessRemote{}
	sl := &sleeps{}
	err := New(openStore(t, "local.db"), r, Options{Attempts: 3, Sleep: sl.sleep}).SyncOnce(context.Background())
	if err == nil || !strings.Contains(err.Error(), "empty pages in a row") || r.calls != MaxEmptyPages {
		t.Fatalf("error %v after %d calls, want a stop after %d", err, r.calls, MaxEmptyPages)
	}
}

// An answer past MaxAnswerBytes is refused, whether it says its length or
// streams without end, and the pull is not retried.
func TestOversizedAnswersAreRefused(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"declared", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(MaxAnswerBytes+1))
			w.WriteHeader(200)
			io.WriteString(w, `{"records":[`)
		}},
		{"streamed", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			io.WriteString(w, `{"records":[`)
			chunk := []byte(strings.Repeat(" ", 1<<20))
			for i := 0; i <= MaxAnswerBytes>>20+1; i++ {
				if _, err := w.Write(chunk); err != nil {
					return // the client stopped reading
				}
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls++; tc.handler(w, r) }))
			defer srv.Close()
			remote, err := NewHubRemote(srv.URL, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			sl := &sleeps{}
			err = New(openStore(t, "local.db"), remote, Options{Attempts: 3, Sleep: sl.sleep}).SyncOnce(context.Background())
			if err == nil || !strings.Contains(err.Error(), "MiB a page may be") {
				t.Fatalf("error %v", err)
			}
			if calls != 1 {
				t.Fatalf("%d requests: an oversized answer is not worth retrying", calls)
			}
		})
	}
}
