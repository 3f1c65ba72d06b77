package replica

import (
	"context"
	"strings"
	"testing"

	"github.com/cxtop/cxtop/model"
)

// stuckRemote always claims more records without moving its cursor.
type stuckRemote struct{ calls int }

func (r *stuckRemote) Name() string { return "stuck" }
func (r *stuckRemote) Pull(ctx context.Context, cursor string, limit int) (*Page, error) {
	r.calls++
	return &Page{Next: cursor, HasMore: true}, nil
}
func (r *stuckRemote) Push(context.Context, model.Action) (*PushResult, error) {
	return nil, ErrPushUnsupported
}

func TestSyncRefusesARemoteThatNeverMoves(t *testing.T) {
	r := &stuckRemote{}
	sl := &sleeps{}
	err := New(openStore(t, "local.db"), r, Options{Attempts: 3, Sleep: sl.sleep}).SyncOnce(context.Background())
	if err == nil || !strings.Contains(err.Error(), "next cursor is the one it was given") || r.calls != 3 {
		t.Fatalf("error %v after %d calls", err, r.calls)
	}
}
