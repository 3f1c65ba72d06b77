package replica

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
	"github.com/cxtop/cxtop/store/internal/fake"
)

// FuzzParseHubPage: a hub page, whatever its bytes, is a page or an error,
// never a panic; every record of a page is one the model can write back.
func FuzzParseHubPage(f *testing.F) {
	var recs []byte
	for i, r := range fake.Records(1, 0, 4) {
		if i > 0 {
			recs = append(recs, ',')
		}
		recs = model.AppendRecord(recs, r)
	}
	for _, s := range []string{
		`{"records":[` + string(recs) + `],"next_cursor":"c1","has_more":false}`,
		`{"records":[],"next_cursor":"c","has_more":true,"deleted":[{"kind":"ticket","id":"T1"}]}`,
		`{"records":[{"kind":"ticket"}],"next_cursor":"c"}`, `{}`, `[]`, `{"records":null}`, "\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := parseHubPage(body)
		if err != nil {
			return
		}
		for _, r := range p.Records {
			if r.Kind() == "" {
				t.Fatalf("a page record with no kind: %q", body)
			}
			model.AppendRecord(nil, r)
		}
	})
}

// FuzzZendeskPage: an export page from Zendesk, whatever its bytes, maps
// or is refused, never panics; a ticket that cannot be mapped is
// quarantined, and every mapped one has a kind and an id.
func FuzzZendeskPage(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "zendesk", "*.json"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"tickets":[{"id":1}],"after_cursor":"x","end_of_stream":true}`))
	f.Add([]byte(`{"tickets":[{"id":"1","status":"open","created_at":"2026-01-01T00:00:00Z"}],"after_cursor":"x"}`))
	tax := model.DefaultTaxonomy()
	f.Fuzz(func(t *testing.T, body []byte) {
		z, err := NewZendeskRemote("https://fuzz.zendesk.com", "tok", 1790000000, tax, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		p, err := z.decodePage(body)
		if err != nil {
			return
		}
		for _, r := range p.Records {
			if r.Kind() == "" || r.ID() == "" {
				t.Fatalf("a mapped record without a kind or an id: %+v", r)
			}
		}
	})
}
