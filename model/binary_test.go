package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// binaryRoundTrip checks the binary encoding against the JSON one: r,
// written in binary and read back, is the record the JSON path would have
// stored (ParseRecord of AppendRecord), and exports to the same line.
func binaryRoundTrip(t *testing.T, r Record) Record {
	t.Helper()
	enc := AppendBinary(nil, r)
	got, err := ParseBinary(enc)
	if err != nil {
		t.Fatalf("%s %s: %x does not decode: %v", r.Kind(), r.ID(), enc, err)
	}
	line := AppendRecord(nil, r)
	want, err := ParseRecord(line)
	if err != nil {
		t.Fatalf("%s %s: its JSON %s does not parse: %v", r.Kind(), r.ID(), line, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s %s: binary gives\n%#v\nJSON gives\n%#v", r.Kind(), r.ID(), recordValue(got), recordValue(want))
	}
	// The JSON writes invalid UTF-8 as \ufffd escapes, which read back as
	// U+FFFD and are written again as the character itself: the export of
	// what was stored is the JSON of the record read back.
	if out, canon := AppendRecord(nil, got), AppendRecord(nil, want); !bytes.Equal(out, canon) {
		t.Fatalf("%s %s: exports as\n%s\nwant\n%s", r.Kind(), r.ID(), out, canon)
	}
	if again := AppendBinary(nil, got); !bytes.Equal(again, enc) {
		t.Fatalf("%s %s: not canonical: %x, then %x", r.Kind(), r.ID(), enc, again)
	}
	return got
}

func recordValue(r Record) any {
	switch {
	case r.Ticket != nil:
		return *r.Ticket
	case r.Feedback != nil:
		return *r.Feedback
	case r.Event != nil:
		return *r.Event
	}
	return nil
}

func f64(v float64) *float64 { return &v }

// fullTicket sets every field, with values the dictionary does not hold,
// repeated strings, a fractional second and a zone other than UTC.
func fullTicket() *Ticket {
	hcm := time.FixedZone("ICT", 7*3600)
	created := time.Date(2026, 3, 4, 5, 6, 7, 123456789, hcm)
	return &Ticket{
		ID: "T-42", System: "zendesk", ExternalID: "zd-9001", Subject: "Đơn hàng chưa tới \"gấp\"",
		Description: "line one\nline two\ttab \\ back \u2028 sep", Status: "waiting_on_customer", Type: "billing",
		SubType: "double_charge", Source: "carrier_pigeon", Priority: "p1", Department: "finance",
		Assignee: "Nguyen Thi Lan", CustomerID: "C-7", Segment: "enterprise", Touchpoint: "invoice",
		CreatedAt: created, FirstResponseAt: created.Add(90 * time.Second), ResolvedAt: time.Time{},
		UpdatedAt: created.Add(36 * time.Hour), SLADueAt: created.Add(-time.Hour).Add(7 * time.Nanosecond),
		Escalated: true, Tags: []string{"vip_complaint", "follow_up", "x"}, Version: 1<<40 + 3, SourceStamp: "2026-03-05T17:06:07Z",
		History: []Change{
			{At: created, By: "system", Field: "status", Old: "", New: "new"},
			{At: created.Add(time.Minute), By: "system", Field: "assignee", Old: "", New: "Nguyen Thi Lan"},
			{At: created.Add(-time.Second), By: "Nguyen Thi Lan", Field: "note", Old: "", New: "gọi lại lúc 9h"},
		},
	}
}

func TestBinaryRoundTripEveryKind(t *testing.T) {
	done := fullTicket()
	done.Status, done.ResolvedAt = StatusDone, done.CreatedAt.Add(48*time.Hour)
	at := time.Date(2027, 12, 31, 23, 59, 59, 0, time.UTC)
	cases := []Record{
		{Ticket: fullTicket()},
		{Ticket: done},
		{Ticket: &Ticket{ID: "T1", Status: StatusNew, Type: "complaint", Source: "email", Priority: PriorityHigh, CreatedAt: at}},
		// Invalid UTF-8 in free text is written as the JSON writes it.
		{Ticket: &Ticket{ID: "T2", Status: StatusNew, Type: "complaint", Source: "email", Priority: PriorityHigh, CreatedAt: at,
			Subject: "bad \xff\xfe byte", Description: "\xed\xa0\x80", Tags: []string{"\x80"}, History: []Change{{At: at, Old: "\xc3", New: "ok"}}}},
		{Feedback: &Feedback{ID: "F1", Survey: SurveyNPS, Score: 3, At: at, CustomerID: "C1", Segment: "vip", Touchpoint: "app",
			Kind: KindRelationship, Channel: "email", TicketID: "T-42", Sentiment: f64(-0.42), Comment: "Không hài lòng"}},
		{Feedback: &Feedback{ID: "F2", Survey: SurveyCSAT, Score: 5, At: at.Add(time.Nanosecond), Sentiment: f64(1.0 / 3)}},
		{Feedback: &Feedback{ID: "F3", Survey: SurveyCES, Score: 7, At: at, Sentiment: f64(0)}},
		{Feedback: &Feedback{ID: "F4", Survey: SurveyBot, Score: 1, At: at, Sentiment: f64(negZero())}},
		{Feedback: &Feedback{ID: "F5", Survey: SurveyCSAT, Score: -9, At: at}},
		{Event: &Event{ID: "E1", Type: EventOrderProcessed, At: at, CustomerID: "C1", Segment: "new", OrderID: "O-1",
			PlacedAt: at.Add(-50 * time.Hour)}},
		{Event: &Event{ID: "E2", Type: EventPurchase, At: at, Amount: 0, Digital: true}},
		{Event: &Event{ID: "E3", Type: EventPurchase, At: at, Amount: 9_209_000, Digital: false}},
		{Event: &Event{ID: "E4", Type: EventFormAbandoned, At: time.Date(1969, 7, 20, 20, 17, 40, 5, time.UTC), Variant: "B"}},
		{Event: &Event{ID: "E5", Type: EventDigitalLogin, At: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), Amount: -3}},
		{Event: &Event{ID: "E6", Type: EventDigitalLogin, At: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)}},
	}
	for _, r := range cases {
		binaryRoundTrip(t, r)
	}
}

func negZero() float64 {
	z := 0.0
	return -z
}

// TestBinaryKeepsEveryField sets each field of each kind, one at a time, to
// a value of its type and checks it survives: a field added to a record
// without a place in the encoding fails here.
func TestBinaryKeepsEveryField(t *testing.T) {
	at := time.Date(2026, 5, 6, 7, 8, 9, 10, time.UTC)
	bases := []Record{
		{Ticket: &Ticket{ID: "T1", Status: StatusNew, Type: "complaint", Source: "email", Priority: PriorityHigh, CreatedAt: at}},
		{Feedback: &Feedback{ID: "F1", Survey: SurveyNPS, Score: 3, At: at}},
		{Event: &Event{ID: "E1", Type: EventPurchase, At: at}},
	}
	for _, base := range bases {
		v := reflect.ValueOf(recordValue(base))
		for i := 0; i < v.NumField(); i++ {
			name := v.Type().Field(i).Name
			r := cloneWithField(t, base, i)
			got := binaryRoundTrip(t, r)
			if want, have := reflect.ValueOf(recordValue(r)).Field(i), reflect.ValueOf(recordValue(got)).Field(i); !reflect.DeepEqual(normalized(want), normalized(have)) {
				t.Errorf("%s.%s: set to %v, read back %v", r.Kind(), name, want, have)
			}
			if reflect.DeepEqual(AppendBinary(nil, r), AppendBinary(nil, base)) {
				t.Errorf("%s.%s: setting it does not change the encoding", r.Kind(), name)
			}
		}
	}
}

// cloneWithField returns base with field i set to a value unlike its own.
func cloneWithField(t *testing.T, base Record, i int) Record {
	t.Helper()
	var p reflect.Value
	var r Record
	switch {
	case base.Ticket != nil:
		c := *base.Ticket
		r.Ticket, p = &c, reflect.ValueOf(&c)
	case base.Feedback != nil:
		c := *base.Feedback
		r.Feedback, p = &c, reflect.ValueOf(&c)
	default:
		c := *base.Event
		r.Event, p = &c, reflect.ValueOf(&c)
	}
	f := p.Elem().Field(i)
	switch x := f.Addr().Interface().(type) {
	case *string:
		*x += "other"
	case *int:
		*x = 1
	case *int64:
		*x = 12345
	case *uint64:
		*x = 77
	case *bool:
		*x = !*x
	case *time.Time:
		*x = time.Date(2026, 5, 6, 7, 8, 9, 11, time.UTC)
	case **float64:
		*x = f64(0.25)
	case *[]string:
		*x = []string{"a", "bb"}
	case *[]Change:
		*x = []Change{{At: time.Date(2026, 5, 6, 8, 0, 0, 0, time.UTC), By: "b", Field: "f", Old: "o", New: "n"}}
	default:
		t.Fatalf("field %s of type %s: the test does not know how to set it", p.Elem().Type().Field(i).Name, f.Type())
	}
	return r
}

// normalized compares times by instant (the JSON path stores UTC).
func normalized(v reflect.Value) any {
	if tm, ok := v.Interface().(time.Time); ok {
		return tm.UTC()
	}
	return v.Interface()
}

// TestBinaryIsSmaller: the point of the encoding, on the shapes the store
// holds most.
func TestBinaryIsSmaller(t *testing.T) {
	for _, r := range []Record{{Ticket: fullTicket()}, {Event: &Event{ID: "E000000001", Type: EventDigitalLogin,
		At: time.Date(2026, 10, 29, 0, 0, 0, 0, time.UTC), CustomerID: "C000290", Segment: "regular"}}} {
		b, j := len(AppendBinary(nil, r)), len(AppendRecord(nil, r))
		if b*2 > j {
			t.Errorf("%s: %d bytes in binary, %d in JSON: want at most half", r.Kind(), b, j)
		}
	}
}

// TestBinaryGolden pins the bytes of format 1: a change to the encoding
// that would misread stores already written fails here.
func TestBinaryGolden(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 1, 0, 0, time.UTC)
	cases := []struct {
		r   Record
		hex string
	}{
		{Record{Event: &Event{ID: "E1", Type: EventPurchase, At: at, CustomerID: "C1", Segment: "vip", Amount: 1000, Digital: true, PlacedAt: at.Add(-time.Second)}},
			"030445318501f1010443315b0000d00f0103"},
		{Record{Feedback: &Feedback{ID: "F1", Survey: SurveyNPS, Score: 9, At: at, TicketID: "T1", Sentiment: f64(0.5), Kind: KindPostResolution, Channel: "F1"}},
			"020446316f12f10100000004543101e80779bb0100"},
		{Record{Ticket: &Ticket{ID: "T1", Status: StatusDone, Type: "complaint", Source: "email", Priority: PriorityLow,
			CreatedAt: at, ResolvedAt: at.Add(time.Hour), System: "sim", ExternalID: "T1", Version: 2,
			History: []Change{{At: at, By: "system", Field: "status", New: StatusDone}}}},
			"01045431050f003f0d000000000000f10100c1700000008d01bb01000002000101930195010005"},
	}
	for _, c := range cases {
		got := hex.EncodeToString(AppendBinary(nil, c.r))
		if got != c.hex {
			t.Errorf("%s %s: encodes as %s, format 1 wrote %s", c.r.Kind(), c.r.ID(), got, c.hex)
		}
		raw, _ := hex.DecodeString(c.hex)
		binaryRoundTrip(t, c.r)
		if r, err := ParseBinary(raw); err != nil || !bytes.Equal(AppendRecord(nil, r), AppendRecord(nil, c.r)) {
			t.Errorf("%s %s: format 1 bytes read back as %v, %v", c.r.Kind(), c.r.ID(), recordValue(r), err)
		}
	}
}

// TestBinaryDictionaryIsFrozen: references into the dictionary are on
// disk; its first entries may never change (new ones go at the end, and
// then frozenDictionaryLen and the hash move with them).
func TestBinaryDictionaryIsFrozen(t *testing.T) {
	const frozenDictionaryLen = 93
	const frozenHash = "a354c6b884507439bbff77c62adc7e77ed0daa63fff47245a583687f1ce73129"
	if len(binaryDictionary) < frozenDictionaryLen {
		t.Fatalf("the dictionary has %d entries: entries of format 1 were removed", len(binaryDictionary))
	}
	sum := sha256.Sum256([]byte(strings.Join(binaryDictionary[:frozenDictionaryLen], "\x00")))
	if got := hex.EncodeToString(sum[:]); got != frozenHash {
		t.Fatalf("the dictionary's first %d entries changed (hash %s): stores already written would read other strings", frozenDictionaryLen, got)
	}
	seen := map[string]bool{}
	for _, s := range binaryDictionary {
		if seen[s] {
			t.Errorf("%q is twice in the dictionary", s)
		}
		seen[s] = true
	}
}

func TestParseBinaryErrors(t *testing.T) {
	good := AppendBinary(nil, Record{Ticket: fullTicket()})
	// Every field empty up to the tags (12 strings, 5 times, the flags, 3
	// strings), then a list longer than MaxTags.
	longList := append(append([]byte{BinaryTicket}, make([]byte, 12+5+1+3)...), 0xff, 0x7f)
	for name, v := range map[string][]byte{
		"empty":           {},
		"unknown format":  {0x7f, 0},
		"truncated":       good[:len(good)/2],
		"trailing bytes":  append(append([]byte(nil), good...), 0),
		"bad reference":   {BinaryEvent, 0xff, 0x0f},
		"long list":       longList,
		"overlong varint": {BinaryEvent, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
	} {
		_, err := ParseBinary(v)
		if err == nil {
			t.Errorf("%s: %x decodes without an error", name, v)
		}
		if name == "long list" && !strings.Contains(fmt.Sprint(err), "entries") {
			t.Errorf("long list: %v, want the list's length refused", err)
		}
	}
}

// FuzzBinaryRecord: every record the JSON path accepts survives the binary
// encoding with no loss (the store keeps binary, export writes JSON), and
// damaged binary bytes are an error, never a panic.
func FuzzBinaryRecord(f *testing.F) {
	for _, r := range []Record{{Ticket: fullTicket()}, {Feedback: &Feedback{ID: "F1", Survey: SurveyNPS, Score: 3,
		At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Sentiment: f64(0.125)}}} {
		f.Add(AppendRecord(nil, r))
		f.Add(AppendBinary(nil, r))
	}
	f.Add([]byte(`{"kind":"event","id":"E1","type":"purchase","at":"2026-01-01T00:00:00.5Z","amount":7,"digital":true}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		if r, err := ParseBinary(in); err == nil {
			_ = AppendRecord(AppendBinary(nil, r), r)
		}
		r, err := ParseRecord(in)
		if err != nil || CheckRecord(r) != nil {
			return
		}
		binaryRoundTrip(t, r)
	})
}

// BenchmarkRecordCodec: the binary encoding against the JSON one, on a
// ticket with a history (go test -bench RecordCodec ./model).
func BenchmarkRecordCodec(b *testing.B) {
	r := Record{Ticket: fullTicket()}
	js, bin := AppendRecord(nil, r), AppendBinary(nil, r)
	buf := make([]byte, 0, 2048)
	b.Run("encode/json", func(b *testing.B) {
		for b.Loop() {
			buf = AppendRecord(buf[:0], r)
		}
	})
	b.Run("encode/binary", func(b *testing.B) {
		for b.Loop() {
			buf = AppendBinary(buf[:0], r)
		}
	})
	b.Run("decode/json", func(b *testing.B) {
		for b.Loop() {
			if _, err := ParseRecord(js); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode/binary", func(b *testing.B) {
		for b.Loop() {
			if _, err := ParseBinary(bin); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestParseCanonicalTakesCanonicalLines: the lines AppendRecord writes are
// read by the fast path, and give what the strict path gives.
func TestParseCanonicalTakesCanonicalLines(t *testing.T) {
	recs := []Record{{Ticket: fullTicket()}, {Ticket: sampleTicket()},
		{Ticket: &Ticket{ID: "T2", Status: StatusNew, Type: "complaint", Source: "email", Priority: PriorityHigh, CreatedAt: when, SourceStamp: "s1"}},
		{Feedback: &Feedback{ID: "F1", Survey: SurveyNPS, Score: 3, At: when, TicketID: "T1", Sentiment: f64(-0.42), Comment: "ok \\ \"x\""}},
		{Feedback: &Feedback{ID: "F2", Survey: SurveyCSAT, Score: 5, At: when, Sentiment: f64(1e-7)}},
		{Event: &Event{ID: "E1", Type: EventPurchase, At: when, Amount: -5, Digital: true, PlacedAt: when}},
		{Event: &Event{ID: "E2", Type: EventFormStarted, At: when, Variant: "A", OrderID: "O\u2028"}},
	}
	for _, r := range recs {
		line := AppendRecord(nil, r)
		fast, ok := parseCanonical(line)
		if !ok {
			t.Fatalf("the fast path does not read %s", line)
		}
		strict, err := parseRecordStrict(line)
		if err != nil || !reflect.DeepEqual(fast, strict) {
			t.Fatalf("%s: fast %#v, strict %#v (%v)", line, recordValue(fast), recordValue(strict), err)
		}
	}
	for _, line := range []string{
		`{"kind":"event","id":"E1","type":"purchase","at":"2026-01-01T00:00:00Z","customer_id":"","segment":"","variant":null,"order_id":null,"amount":1.5,"digital":false,"placed_at":null}`,
		`{"kind":"event","id":"E1","type":"purchase","at":"2026-13-01T00:00:00Z","customer_id":"","segment":"","variant":null,"order_id":null,"amount":1,"digital":false,"placed_at":null}`,
		`{"kind":"event","id":"E\ud800","type":"purchase","at":"2026-01-01T00:00:00Z","customer_id":"","segment":"","variant":null,"order_id":null,"amount":1,"digital":false,"placed_at":null}`,
		`{"kind":"event", "id":"E1"}`,
	} {
		if _, ok := parseCanonical([]byte(line)); ok {
			t.Errorf("the fast path read %s, which it should leave to the strict one", line)
		}
	}
}

// FuzzParseCanonical: whatever the fast path reads, the strict path reads
// the same way (so ParseRecord's answer does not depend on which ran).
func FuzzParseCanonical(f *testing.F) {
	for _, r := range []Record{{Ticket: fullTicket()}, {Ticket: sampleTicket()},
		{Feedback: &Feedback{ID: "F1", Survey: SurveyNPS, Score: 3, At: when, Sentiment: f64(0.5)}},
		{Event: &Event{ID: "E1", Type: EventPurchase, At: when, Amount: 7}}} {
		f.Add(AppendRecord(nil, r))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		fast, ok := parseCanonical(line)
		if !ok {
			return
		}
		strict, err := parseRecordStrict(line)
		if err != nil {
			t.Fatalf("%q: the fast path reads it, the strict one says %v", line, err)
		}
		if !reflect.DeepEqual(fast, strict) {
			t.Fatalf("%q: fast %#v, strict %#v", line, recordValue(fast), recordValue(strict))
		}
	})
}
