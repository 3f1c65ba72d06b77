package replica

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store"
	"github.com/cxtop/cxtop/store/hub"
	"github.com/cxtop/cxtop/store/internal/fake"
)

func openStore(t testing.TB, name string) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), name), store.Options{Create: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// hubStore makes a hub store holding n fake records.
func hubStore(t testing.TB, n int) *store.Store {
	t.Helper()
	st := openStore(t, "hub.db")
	for i := 0; i < n; i += 2000 {
		if _, err := st.Write(fake.Records(1, i, min(2000, n-i))); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// serveHub serves st, with wrap (when not nil) between the client and the hub.
func serveHub(t testing.TB, st *store.Store, opt hub.Options, wrap func(http.Handler) http.Handler) *httptest.Server {
	t.Helper()
	h, err := hub.New(st, opt)
	if err != nil {
		t.Fatal(err)
	}
	var handler http.Handler = h.Handler()
	if wrap != nil {
		handler = wrap(handler)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return srv
}

// sleeps records the waits a client asked for, without waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.d)
}

func newClient(t testing.TB, st *store.Store, url string, opt Options) (*Client, *sleeps) {
	t.Helper()
	r, err := NewHubRemote(url, "", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	sl := &sleeps{}
	if opt.Sleep == nil {
		opt.Sleep = sl.sleep
	}
	if opt.PageSize == 0 {
		opt.PageSize = 700
	}
	opt.Seed = 7
	opt.Logf = t.Logf
	return New(st, r, opt), sl
}

// exportLines is a store's export as a sorted set of lines.
func exportLines(t testing.TB, st *store.Store) []string {
	t.Helper()
	var buf bytes.Buffer
	if err := st.Export(&buf); err != nil {
		t.Fatal(err)
	}
	lines := []string{}
	for _, l := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		if len(l) > 0 {
			lines = append(lines, string(l))
		}
	}
	slices.Sort(lines)
	return lines
}

// sameStores fails unless both exports are equal as sets and the client
// store passes its check.
func sameStores(t testing.TB, hubSt, client *store.Store) {
	t.Helper()
	want, got := exportLines(t, hubSt), exportLines(t, client)
	if len(want) != len(got) {
		t.Fatalf("client holds %d records, hub %d", len(got), len(want))
	}
	for i := range want {
		if want[i] != got[i] {
			t.Fatalf("record %d differs:\nhub    %s\nclient %s", i, want[i], got[i])
		}
	}
	rep, err := client.Check()
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("check of the client store: %s", rep)
	}
}

func tax() model.Taxonomy { return model.DefaultTaxonomy() }
