package tui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/cxtop/cxtop/model/privacy"
	"github.com/cxtop/cxtop/store/engine"
)

// A masked session shows pseudonyms where customers are named, in the
// queue and in a ticket's detail, and finds nothing by a real customer id.
func TestMaskedSessionHidesPersonalData(t *testing.T) {
	st := testStore(t)
	mask, err := privacy.New(bytes.Repeat([]byte{9}, privacy.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	eng := testEngine(t, st, engine.Options{ReadOnly: true})
	m, err := New(Options{Engine: eng, Config: DefaultConfig(), Role: engine.RoleViewer, Theme: "dark", Renderer: asciiRenderer(),
		Now: func() time.Time { return testNow }, Mask: mask})
	if err != nil {
		t.Fatal(err)
	}
	p := &probe{Model: m}
	tm := teatest.NewTestModel(t, p, teatest.WithInitialTermSize(200, 50))
	t.Cleanup(func() {
		tm.Quit()
		tm.WaitFinished(t, teatest.WithFinalTimeout(30*time.Second))
		m.Close()
	})
	s := &session{t: t, tm: tm, p: p, st: st}
	pseudonym := mask.Customer("C000042")
	f := s.waitFor("Order #1 late")
	if strings.Contains(f, "C000042") {
		t.Fatalf("the queue shows a real customer id:\n%s", f)
	}
	s.press("enter")
	f = s.waitFor("Ticket ", pseudonym[:12])
	if strings.Contains(f, "C000042") {
		t.Fatalf("the detail shows a real customer id:\n%s", f)
	}
	s.press("esc")
	s.waitFor("Queue: 5 open")
	s.press("/")
	s.typeText("C000042")
	s.press("enter")
	f = s.waitFor(`search "C000042": 0 tickets`)
	if strings.Contains(f, "Order #1 late") {
		t.Fatalf("a search by a real customer id found its tickets in a masked session:\n%s", f)
	}
}
