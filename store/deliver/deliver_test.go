package deliver_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cxtop/cxtop/model/alert"
	"github.com/cxtop/cxtop/store"
	. "github.com/cxtop/cxtop/store/deliver"
	"github.com/cxtop/cxtop/store/deliver/delivertest"
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "cx.db"), store.Options{Create: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// queue puts n contact requests of channel in the outbox, for customers
// C0..C(n-1).
func queue(t *testing.T, st *store.Store, n int, channel, purpose string) []string {
	t.Helper()
	var keys []string
	_, err := st.Update(func(w *store.Writer) error {
		for i := range n {
			c := alert.Contact{Key: fmt.Sprintf("contact/%s/%s/%d", purpose, channel, i), Purpose: purpose, Channel: channel,
				CustomerID: "C" + strconv.Itoa(i), TicketID: "T" + strconv.Itoa(i), At: t0}
			b, _ := json.Marshal(c)
			if _, err := w.Enqueue(store.OutboxContact, c.Key, b, t0); err != nil {
				return err
			}
			keys = append(keys, c.Key)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func directory(n int) Directory {
	d := Directory{}
	for i := range n {
		id := "C" + strconv.Itoa(i)
		d[id] = Recipient{CustomerID: id, Name: "Khách " + id, Email: strings.ToLower(id) + "@example.com", Phone: fmt.Sprintf("09%08d", 12345678+i)}
	}
	return d
}

func statuses(t *testing.T, st *store.Store) map[string]Request {
	t.Helper()
	all, err := List(st)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Request{}
	for _, r := range all {
		out[r.Key] = r
	}
	return out
}

func TestWebhookSignedIdempotentRetriedAndNeverTwice(t *testing.T) {
	rx := delivertest.NewWebhook("s3cret")
	defer rx.Close()
	rx.Fail = 1 // the first POST meets a 503
	st := openStore(t)
	keys := queue(t, st, 3, alert.ChannelSMS, alert.PurposeFollowUp)
	now := t0
	d := New(st, Options{Drivers: map[string]Driver{alert.ChannelSMS: &Webhook{URL: rx.URL, Secret: []byte("s3cret")}},
		Directory: directory(3), MinBackoff: time.Minute, Now: func() time.Time { return now }})
	res, err := d.Once(context.Background())
	if err != nil || res.Delivered != 2 || res.Retried != 1 {
		t.Fatalf("first round %+v %v", res, err)
	}
	if r := statuses(t, st)[keys[0]]; r.Status != StatusQueued || r.Attempts != 1 || !strings.Contains(r.Reason, "503") || !r.NextAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("retried request %+v", r)
	}
	now = t0.Add(2 * time.Minute)
	if res, err := d.Once(context.Background()); err != nil || res.Delivered != 1 {
		t.Fatalf("second round %+v %v", res, err)
	}
	// Nothing left: a third round sends nothing.
	if res, _ := d.Once(context.Background()); res != (Result{}) {
		t.Fatalf("third round %+v", res)
	}
	got, bad := rx.Received()
	if bad != 0 || len(got) != 3 {
		t.Fatalf("received %v, %d bad signatures", got, bad)
	}
	for _, k := range keys {
		if got[k] != 1 {
			t.Errorf("%s received %d times", k, got[k])
		}
		if r := statuses(t, st)[k]; r.Status != StatusDelivered {
			t.Errorf("%s: %+v", k, r)
		}
	}
	var body struct {
		Request   Request
		Recipient Recipient
		Subject   string
	}
	json.Unmarshal(rx.Body(keys[1]), &body)
	if body.Recipient.Email != "c1@example.com" || body.Request.Key != keys[1] || body.Subject == "" {
		t.Fatalf("body %+v", body)
	}
	if n, _ := st.OutboxLen(); n != 0 {
		t.Fatalf("%d outbox entries left", n)
	}
	// A wrong secret is refused by the receiver: failed for good.
	queue(t, st, 1, alert.ChannelEmail, alert.PurposeSurvey)
	d2 := New(st, Options{Drivers: map[string]Driver{alert.ChannelEmail: &Webhook{URL: rx.URL, Secret: []byte("wrong")}}, Now: func() time.Time { return now }})
	if res, _ := d2.Once(context.Background()); res.Failed != 1 {
		t.Fatalf("wrong secret: %+v", res)
	}
}

func TestEmailOverSMTP(t *testing.T) {
	srv, err := delivertest.NewSMTP()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.Refuse = "c1@example.com"
	host, port, _ := strings.Cut(srv.Addr, ":")
	p, _ := strconv.Atoi(port)
	st := openStore(t)
	keys := queue(t, st, 3, alert.ChannelEmail, alert.PurposeSurvey)
	dir := directory(3)
	delete(dir, "C2")
	d := New(st, Options{Drivers: map[string]Driver{alert.ChannelEmail: &Email{Host: host, Port: p, From: "care@shop.example", TLS: "none", Timeout: 5 * time.Second}},
		Directory: dir, Now: func() time.Time { return t0 }})
	res, err := d.Once(context.Background())
	if err != nil || res.Sent != 1 || res.Failed != 2 {
		t.Fatalf("round %+v %v", res, err)
	}
	mails := srv.Mails()
	if len(mails) != 1 || mails[0].To[0] != "c0@example.com" || !strings.Contains(mails[0].Data, "Subject: How did we do?") ||
		!strings.Contains(mails[0].Data, "X-Cxtop-Request: "+keys[0]) {
		t.Fatalf("mail %+v", mails)
	}
	s := statuses(t, st)
	if s[keys[0]].Status != StatusSent || s[keys[0]].MessageID == "" {
		t.Errorf("sent: %+v", s[keys[0]])
	}
	if r := s[keys[1]]; r.Status != StatusFailed || !strings.Contains(r.Reason, "550") {
		t.Errorf("refused mailbox: %+v", r)
	}
	if r := s[keys[2]]; r.Status != StatusFailed || !strings.Contains(r.Reason, "no email address") {
		t.Errorf("no address: %+v", r)
	}
}

func TestZaloZNS(t *testing.T) {
	z := delivertest.NewZalo("oa-token")
	defer z.Close()
	st := openStore(t)
	keys := queue(t, st, 3, alert.ChannelZaloZNS, alert.PurposeFollowUp)
	dir := directory(3)
	r2 := dir["C2"]
	r2.Phone = "12"
	dir["C2"] = r2
	z.Errors["84912345679"] = -110 // C1: Zalo version unsupported, which retrying cannot change
	drv := &Zalo{URL: z.URL + "/message/template", Token: "oa-token", Templates: map[string]string{alert.PurposeFollowUp: "231045"}}
	d := New(st, Options{Drivers: map[string]Driver{alert.ChannelZaloZNS: drv}, Directory: dir, Now: func() time.Time { return t0 }})
	if res, err := d.Once(context.Background()); err != nil || res.Sent != 1 || res.Failed != 2 {
		t.Fatalf("round %+v %v", res, err)
	}
	msgs := z.Messages()
	if len(msgs) != 1 || msgs[0].Phone != "84912345678" || msgs[0].TemplateID != "231045" || msgs[0].TrackingID != keys[0] || msgs[0].TemplateData["customer_name"] != "Khách C0" {
		t.Fatalf("messages %+v", msgs)
	}
	s := statuses(t, st)
	if s[keys[0]].MessageID != "zns-"+keys[0] || !strings.Contains(s[keys[1]].Reason, "error -110") || !strings.Contains(s[keys[2]].Reason, "-108") {
		t.Fatalf("states %+v", s)
	}
	// A wrong token (-124: not a code Zalo's table says is final) is
	// retried, then dead-lettered.
	queue(t, st, 1, alert.ChannelZaloZNS, alert.PurposeSurvey)
	now := t0
	bad := &Zalo{URL: z.URL + "/message/template", Token: "expired", Templates: map[string]string{alert.PurposeSurvey: "1"}}
	d2 := New(st, Options{Drivers: map[string]Driver{alert.ChannelZaloZNS: bad}, Directory: dir, MaxAttempts: 3, MinBackoff: time.Second, Now: func() time.Time { return now }})
	for range 5 {
		d2.Once(context.Background())
		now = now.Add(time.Hour)
	}
	if r := statuses(t, st)["contact/survey/zalo_zns/0"]; r.Status != StatusDead || r.Attempts != 3 || !strings.Contains(r.Reason, "-124") {
		t.Fatalf("dead letter %+v", r)
	}
}

// Zalo's table of ZNS error codes decides what is retried: -100 ("try
// again later") and any code the table does not give as final; -101 to
// -112 (application, method, phone, template, template data) fail at once.
func TestZaloErrorCodesFollowZalosTable(t *testing.T) {
	z := delivertest.NewZalo("oa-token")
	defer z.Close()
	for _, tc := range []struct {
		code  int
		retry bool
	}{
		{-100, true}, {-101, false}, {-105, false}, {-108, false}, {-109, false}, {-110, false},
		{-111, false}, {-112, false}, {-113, true}, {-114, true}, {-115, true}, {-124, true}, {-133, true}, {-1, true},
	} {
		phone := fmt.Sprintf("8491%07d", -tc.code)
		z.Errors[phone] = tc.code
		drv := &Zalo{URL: z.URL + "/message/template", Token: "oa-token", Templates: map[string]string{alert.PurposeFollowUp: "231045"}}
		_, err := drv.Send(context.Background(), Message{Request: Request{Contact: alert.Contact{Key: "k", Purpose: alert.PurposeFollowUp}}, Recipient: Recipient{Phone: phone}})
		if err == nil || !strings.Contains(err.Error(), fmt.Sprint(tc.code)) {
			t.Fatalf("code %d: %v", tc.code, err)
		}
		var se *SendError
		if !errors.As(err, &se) {
			t.Fatalf("code %d: %T is not a SendError", tc.code, err)
		}
		if se.Temporary != tc.retry {
			t.Errorf("code %d: retried %v, want %v", tc.code, se.Temporary, tc.retry)
		}
	}
	// The fake takes every phone format the table accepts.
	for _, phone := range []string{"0912345678", "912345678", "84912345678", "+84 912 345 678"} {
		drv := &Zalo{URL: z.URL + "/message/template", Token: "oa-token", Templates: map[string]string{alert.PurposeFollowUp: "231045"}}
		if _, err := drv.Send(context.Background(), Message{Request: Request{Contact: alert.Contact{Key: "k-" + phone, Purpose: alert.PurposeFollowUp}}, Recipient: Recipient{Phone: phone}}); err != nil {
			t.Errorf("phone %q: %v", phone, err)
		}
	}
}

// An OA access token lasts about a day: with a token source, each send
// reads the token again, so the one a refresh job writes is taken without
// a restart, and a send refused for the old one is retried.
func TestZaloTokenIsReadBeforeEachSend(t *testing.T) {
	z := delivertest.NewZalo("fresh-token")
	defer z.Close()
	token, reads := "expired-token", 0
	drv := &Zalo{URL: z.URL + "/message/template", Templates: map[string]string{alert.PurposeFollowUp: "231045"},
		TokenSource: func() (string, error) { reads++; return token, nil }}
	m := Message{Request: Request{Contact: alert.Contact{Key: "k", Purpose: alert.PurposeFollowUp}}, Recipient: Recipient{Phone: "0912345678"}}
	_, err := drv.Send(context.Background(), m)
	var se *SendError
	if !errors.As(err, &se) || !se.Temporary {
		t.Fatalf("a send with the expired token: %v, want a failure that is retried", err)
	}
	token = "fresh-token" // the refresh job rewrote the file
	if out, err := drv.Send(context.Background(), m); err != nil || out.Status != StatusSent {
		t.Fatalf("after the refresh: %+v %v", out, err)
	}
	if reads != 2 || len(z.Messages()) != 1 {
		t.Fatalf("%d token reads, %d messages", reads, len(z.Messages()))
	}
	drv.TokenSource = func() (string, error) { return "", errors.New("token file is readable by others") }
	if _, err := drv.Send(context.Background(), m); !errors.As(err, &se) || !se.Temporary || !strings.Contains(err.Error(), "access token") {
		t.Fatalf("an unreadable token: %v", err)
	}
}

// A process killed between "sending" and the answer: through the webhook
// the request is retried with its key (the receiver keeps one); through
// email it is failed, never sent again.
func TestInterruptedSendIsNeverSentTwice(t *testing.T) {
	rx := delivertest.NewWebhook("k")
	defer rx.Close()
	srv, _ := delivertest.NewSMTP()
	defer srv.Close()
	host, port, _ := strings.Cut(srv.Addr, ":")
	p, _ := strconv.Atoi(port)
	st := openStore(t)
	wk := queue(t, st, 1, alert.ChannelSMS, alert.PurposeFollowUp)[0]
	ek := queue(t, st, 1, alert.ChannelEmail, alert.PurposeFollowUp)[0]
	wh := &Webhook{URL: rx.URL, Secret: []byte("k")}
	em := &Email{Host: host, Port: p, From: "care@shop.example", TLS: "none"}
	dir := directory(1)
	// The killed process sent both, then died before recording it.
	for _, k := range []string{wk, ek} {
		r := statuses(t, st)[k]
		m := Message{Request: r, Recipient: dir["C0"], Subject: "s", Body: "b"}
		drv := Driver(wh)
		if r.Channel == alert.ChannelEmail {
			drv = em
		}
		r.Status, r.Attempts, r.SentAt = StatusSending, 1, t0
		b, _ := json.Marshal(r)
		st.Update(func(w *store.Writer) error { return w.PutContactState(r.Key, b) })
		if _, err := drv.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	d := New(st, Options{Drivers: map[string]Driver{alert.ChannelSMS: wh, alert.ChannelEmail: em}, Directory: dir, Now: func() time.Time { return t0 }})
	for range 3 {
		if _, err := d.Once(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	s := statuses(t, st)
	if s[wk].Status != StatusDelivered || s[ek].Status != StatusFailed || !strings.Contains(s[ek].Reason, "interrupted") {
		t.Fatalf("after restart: webhook %+v, email %+v", s[wk], s[ek])
	}
	if got, _ := rx.Received(); len(got) != 1 {
		t.Fatalf("webhook keys %v", got)
	}
	if n := len(srv.Mails()); n != 1 {
		t.Fatalf("the email went out %d times", n)
	}
}

func TestQuietHoursAndPerCustomerCap(t *testing.T) {
	rx := delivertest.NewWebhook("k")
	defer rx.Close()
	st := openStore(t)
	_, err := st.Update(func(w *store.Writer) error {
		for i := range 3 { // three requests for one customer
			c := alert.Contact{Key: fmt.Sprintf("contact/x/%d", i), Purpose: alert.PurposeSurvey, Channel: alert.ChannelSMS, CustomerID: "C0", At: t0}
			b, _ := json.Marshal(c)
			if _, err := w.Enqueue(store.OutboxContact, c.Key, b, t0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	q, err := ParseQuietHours("21:00-08:00", hcm)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 2, 22, 30, 0, 0, hcm) // inside the quiet hours
	d := New(st, Options{Drivers: map[string]Driver{alert.ChannelSMS: &Webhook{URL: rx.URL, Secret: []byte("k")}}, Quiet: q,
		PerCustomer: 2, CapWindow: 24 * time.Hour, Now: func() time.Time { return now }})
	if res, _ := d.Once(context.Background()); res.Held != 3 || res.Delivered != 0 {
		t.Fatalf("in quiet hours: %+v", res)
	}
	if r := statuses(t, st)["contact/x/0"]; !r.NextAt.Equal(time.Date(2026, 11, 3, 8, 0, 0, 0, hcm)) || r.Reason != "quiet hours" {
		t.Fatalf("held until %v (%s)", r.NextAt, r.Reason)
	}
	now = time.Date(2026, 11, 3, 8, 0, 0, 0, hcm)
	if res, _ := d.Once(context.Background()); res.Delivered != 2 || res.Held != 1 {
		t.Fatalf("after the quiet hours: %+v", res)
	}
	if r := statuses(t, st)["contact/x/2"]; !strings.Contains(r.Reason, "per-customer cap") || !r.NextAt.Equal(now.UTC().Add(24*time.Hour)) {
		t.Fatalf("capped: %+v", r)
	}
}

func TestParseQuietHoursRefusesNonsense(t *testing.T) {
	for _, s := range []string{"21-08", "25:00-08:00", "08:00-08:00", "nine to five"} {
		if _, err := ParseQuietHours(s, nil); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}
