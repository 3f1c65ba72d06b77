package privacy

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model"
)

func testMasker(t testing.TB, seed byte) *Masker {
	t.Helper()
	m, err := New(bytes.Repeat([]byte{seed}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestNewRefusesAShortKey(t *testing.T) {
	if _, err := New([]byte("short")); err == nil {
		t.Fatal("New accepted a 5-byte key")
	}
	k1, _ := NewKey()
	k2, _ := NewKey()
	if len(k1) != KeySize || bytes.Equal(k1, k2) {
		t.Fatalf("NewKey: %x, %x", k1, k2)
	}
}

func TestPseudonymsAreStablePerKeyAndDifferAcrossKeys(t *testing.T) {
	a, b := testMasker(t, 1), testMasker(t, 2)
	if a.Customer("C000144") != a.Customer("C000144") {
		t.Fatal("the same customer got two pseudonyms under one key")
	}
	if a.Customer("C000144") == a.Customer("C000145") {
		t.Fatal("two customers share a pseudonym")
	}
	if a.Customer("C000144") == b.Customer("C000144") {
		t.Fatal("two keys gave the same pseudonym: the key does not matter")
	}
	if a.Customer("x") == a.Staff("x") {
		t.Fatal("a customer and a member of staff with the same name share a pseudonym")
	}
	if got := a.Customer("C000144"); !strings.HasPrefix(got, "cust-") || len(got) != len("cust-")+16 || strings.Contains(got, "144") {
		t.Fatalf("Customer = %q", got)
	}
	if a.Customer("") != "" || a.Staff("system") != "system" || a.Staff("automation") != "automation" {
		t.Fatal("empty ids and machine actors must stay as they are")
	}
}

func TestText(t *testing.T) {
	m := testMasker(t, 1)
	for _, tc := range []struct {
		in    string
		names []string
		gone  []string // must not survive
		kept  []string // must survive
	}{
		{in: "mail me at an.nguyen+shop@mail.com.vn please", gone: []string{"an.nguyen", "mail.com.vn"}, kept: []string{"mail me at", "please"}},
		{in: "call +84 912 345 678.", gone: []string{"912", "345 678"}, kept: []string{"call", "."}},
		{in: "số của tôi 0912 345 678", gone: []string{"0912"}, kept: []string{"số của tôi"}},
		{in: "hotline 0912.345.678 or 0912-345-678", gone: []string{"0912"}, kept: []string{"hotline", " or "}},
		{in: "landline (028) 3822 1234", gone: []string{"3822"}, kept: []string{"landline"}},
		{in: "(+84) 28 3822 1234", gone: []string{"3822"}},
		{in: "84912345678 is my zalo", gone: []string{"84912345678"}, kept: []string{"is my zalo"}},
		{in: "+1 415 555 0100", gone: []string{"415 555"}},
		{in: "order 12345 0912 345 678", gone: []string{"0912"}, kept: []string{"order 12345"}},
		{in: "Order #35551 of 1,200,000 VND on 2026-11-29, code 12.000.000", kept: []string{"#35551", "1,200,000", "2026-11-29", "12.000.000"}},
		{in: "Hi, my name is Tran Thi Bich and I am upset", gone: []string{"Tran Thi Bich"}, kept: []string{"my name is", "and I am upset"}},
		{in: "Chào, tên tôi là Nguyễn Văn An, đơn hàng trễ", gone: []string{"Nguyễn Văn An"}, kept: []string{"tên tôi là", "đơn hàng trễ"}},
		{in: "Bui Thanh Tung called back; bui thanh tung will fix it", names: []string{"Bui Thanh Tung"}, gone: []string{"Bui Thanh Tung", "bui thanh tung"}, kept: []string{"called back", "will fix it"}},
		{in: "system restarted", names: []string{"system"}, kept: []string{"system restarted"}},
	} {
		got := m.Text(tc.in, tc.names...)
		for _, g := range tc.gone {
			if strings.Contains(got, g) {
				t.Errorf("Text(%q) = %q still holds %q", tc.in, got, g)
			}
		}
		for _, k := range tc.kept {
			if !strings.Contains(got, k) {
				t.Errorf("Text(%q) = %q lost %q", tc.in, got, k)
			}
		}
		if again := m.Text(tc.in, tc.names...); again != got {
			t.Errorf("Text is not stable: %q then %q", got, again)
		}
	}
	// one number in two notations is one token
	a, b := m.Text("+84 912 345 678"), m.Text("0912345678")
	if a != b {
		t.Errorf("+84 and 0 notations of one number mask differently: %q, %q", a, b)
	}
}

func sampleTicket() *model.Ticket {
	at := time.Date(2026, 11, 29, 13, 8, 54, 0, time.UTC)
	return &model.Ticket{
		ID: "T1", System: "sim", ExternalID: "T1", Subject: "Call me on 0912 345 678", Description: "I am Le Van Cuong, email cuong@example.vn",
		Status: model.StatusInProgress, Type: "complaint", SubType: "late_delivery", Source: "email", Priority: "high",
		Department: "logistics", Assignee: "Bui Thanh Tung", CustomerID: "C000144", Segment: "vip", Touchpoint: "delivery",
		CreatedAt: at, UpdatedAt: at, SLADueAt: at.Add(time.Hour), Version: 3, Tags: []string{"vip", "cuong@example.vn"},
		History: []model.Change{
			{At: at, By: "system", Field: "status", New: model.StatusNew},
			{At: at, By: "system", Field: "assignee", New: "Bui Thanh Tung"},
			{At: at, By: "Bui Thanh Tung", Field: "note", New: "rang 0912 345 678, Bui Thanh Tung will follow up"},
		},
	}
}

func TestTicketMasksPersonalDataAndKeepsWhatKPIsRead(t *testing.T) {
	m := testMasker(t, 1)
	orig, tk := sampleTicket(), sampleTicket()
	m.Ticket(tk)
	all := tk.Subject + tk.Description + tk.CustomerID + tk.Assignee + strings.Join(tk.Tags, " ")
	for _, h := range tk.History {
		all += h.By + h.Old + h.New
	}
	for _, secret := range []string{"0912", "Le Van Cuong", "cuong@example.vn", "C000144", "Bui Thanh Tung"} {
		if strings.Contains(all, secret) {
			t.Errorf("masked ticket still holds %q: %+v", secret, tk)
		}
	}
	if tk.CustomerID != m.Customer(orig.CustomerID) || tk.Assignee != m.Staff(orig.Assignee) || tk.History[1].New != tk.Assignee {
		t.Errorf("customer %q / assignee %q not pseudonymised consistently (history %q)", tk.CustomerID, tk.Assignee, tk.History[1].New)
	}
	// what KPIs, indexes and the queue read is untouched
	mk := *tk
	mk.Subject, mk.Description, mk.CustomerID, mk.Assignee, mk.Tags, mk.History = orig.Subject, orig.Description, orig.CustomerID, orig.Assignee, orig.Tags, orig.History
	if string(model.AppendTicket(nil, &mk)) != string(model.AppendTicket(nil, orig)) {
		t.Errorf("masking changed a field it should keep:\n%s\n%s", model.AppendTicket(nil, &mk), model.AppendTicket(nil, orig))
	}
	if len(tk.History) != len(orig.History) || tk.History[0] != orig.History[0] {
		t.Errorf("history shape changed: %+v", tk.History)
	}
	if tax := model.DefaultTaxonomy(); tax.ValidateTicket(tk) != nil {
		t.Errorf("a masked ticket is no longer valid: %v", tax.ValidateTicket(tk))
	}
}

func TestFeedbackAndEventsStayJoinable(t *testing.T) {
	m := testMasker(t, 7)
	at := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	f := &model.Feedback{ID: "F1", Survey: model.SurveyNPS, Score: 3, At: at, CustomerID: "C9", TicketID: "T1", Comment: "ring 0987654321"}
	e := &model.Event{ID: "E1", Type: model.EventPurchase, At: at, CustomerID: "C9", Amount: 12345, Digital: true}
	other := &model.Event{ID: "E2", Type: model.EventPurchase, At: at, CustomerID: "C10", Amount: 1}
	for _, r := range []model.Record{{Feedback: f}, {Event: e}, {Event: other}} {
		m.Record(r)
	}
	if f.CustomerID != e.CustomerID || f.CustomerID == other.CustomerID || f.CustomerID == "C9" {
		t.Fatalf("joins broken: feedback %q, event %q, other %q", f.CustomerID, e.CustomerID, other.CustomerID)
	}
	if f.TicketID != "T1" || f.Score != 3 || e.Amount != 12345 || !e.Digital || strings.Contains(f.Comment, "0987654321") {
		t.Fatalf("masking changed what it should keep, or kept the phone: %+v %+v", f, e)
	}
}
