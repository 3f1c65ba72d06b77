package replica

import (
	"os"
	"path/filepath"
	"reflect"
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

// hubPageSeeds are pages as the hub writes them, and some it never does.
func hubPageSeeds() []string {
	var recs []byte
	for i, r := range fake.Records(1, 0, 4) {
		if i > 0 {
			recs = append(recs, ',')
		}
		recs = model.AppendRecord(recs, r)
	}
	return []string{
		`{"records":[` + string(recs) + `],"next_cursor":"c1","has_more":false}` + "\n",
		`{"records":[` + string(recs) + `],"deleted":[{"kind":"ticket","id":"T1"}],"next_cursor":"c1","has_more":true}` + "\n",
		`{"records":[],"next_cursor":"c","has_more":true}`,
		`{"records":[{"kind":"ticket"},` + string(recs) + `],"next_cursor":"c"}`,
		`{"records":[` + string(recs) + `],"records":[` + string(recs) + `],"next_cursor":"c"}`,
		`{"records":[{"a":"}\"{"}],"next_cursor":"c"}`,
		`{"records":[` + string(recs) + `] ,"next_cursor":"c"} x`,
	}
}

// FuzzHubPageFast: whenever the fast reader takes a page, it reads what the
// general reader reads from the same bytes.
func FuzzHubPageFast(f *testing.F) {
	for _, s := range hubPageSeeds() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		fast, ok := parseHubPageFast(body)
		if !ok {
			return
		}
		slow, err := parseHubPageJSON(body)
		if err != nil {
			t.Fatalf("the fast reader took a page the general one refuses (%v): %q", err, body)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("the readers differ on %q:\nfast %+v\nslow %+v", body, fast, slow)
		}
	})
}

// The hub's own pages take the fast path (the demo's pull depends on it
// for its speed), with and without deletions.
func TestHubPagesTakeTheFastPath(t *testing.T) {
	for _, s := range hubPageSeeds()[:3] {
		p, ok := parseHubPageFast([]byte(s))
		if !ok {
			t.Fatalf("a hub page read the slow way: %q", s)
		}
		slow, err := parseHubPageJSON([]byte(s))
		if err != nil || !reflect.DeepEqual(p, slow) {
			t.Fatalf("fast %+v, general %+v (%v)", p, slow, err)
		}
	}
}

// Every page one byte away from a hub page (a byte dropped, or a quote,
// backslash, bracket, comma or space put in) is read by the fast reader
// as the general reader reads it, or left to the general reader.
func TestHubPageFastNearHubPages(t *testing.T) {
	rec := model.AppendRecord(nil, fake.Records(1, 0, 1)[0])
	page := []byte(`{"records":[` + string(rec) + `,` + string(rec) + `],"deleted":[{"kind":"event","id":"E1"}],"next_cursor":"c1","has_more":true}` + "\n")
	check := func(body []byte) {
		fast, ok := parseHubPageFast(body)
		if !ok {
			return
		}
		slow, err := parseHubPageJSON(body)
		if err != nil || !reflect.DeepEqual(fast, slow) {
			t.Fatalf("the readers differ on %q (%v)", body, err)
		}
	}
	for i := range page {
		check(append(append([]byte(nil), page[:i]...), page[i+1:]...))
		for _, c := range []byte("\"\\}],{[ ") {
			check(append(append(append([]byte(nil), page[:i]...), c), page[i:]...))
		}
	}
}
