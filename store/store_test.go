package store

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
)

func TestWriteReadReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cx.db")
	s, err := Open(path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	tk := randomTicket(rng, 7)
	res, err := s.Write([]model.Record{{Ticket: tk}, {Feedback: randomFeedback(rng, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Inserted != 2 {
		t.Fatalf("inserted %d, want 2", res.Inserted)
	}
	s.Close()
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("store file mode %v (err %v), want 0600", fi.Mode().Perm(), err)
	}
	s, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Ticket(tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(model.AppendTicket(nil, got), model.AppendTicket(nil, tk)) {
		t.Fatalf("read back a different ticket:\n%s\n%s", model.AppendTicket(nil, got), model.AppendTicket(nil, tk))
	}
	if _, err := s.Ticket("nope"); !errors.Is(err, ErrNoSuchKey) {
		t.Fatalf("missing ticket: err %v, want ErrNoSuchKey", err)
	}
	if _, err := s.Write([]model.Record{{Ticket: tk}}); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("write to read-only store: err %v, want ErrReadOnly", err)
	}
}

func TestUpsertMovesRollupsAndIndexes(t *testing.T) {
	s := openTemp(t)
	rng := rand.New(rand.NewPCG(3, 4))
	tk := randomTicket(rng, 1)
	tk.Status, tk.FirstResponseAt, tk.ResolvedAt = model.StatusNew, time.Time{}, time.Time{}
	tk.SLADueAt = tk.CreatedAt.Add(24 * time.Hour)
	if _, err := s.Write([]model.Record{{Ticket: tk}}); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.OpenTickets(); n != 1 {
		t.Fatalf("open tickets %d, want 1", n)
	}
	done := tk.Clone()
	done.Status = model.StatusDone
	done.ResolvedAt = tk.CreatedAt.Add(2 * time.Hour)
	res, err := s.Write([]model.Record{{Ticket: done}})
	if err != nil || res.Updated != 1 {
		t.Fatalf("update: %+v %v", res, err)
	}
	if n, _ := s.OpenTickets(); n != 0 {
		t.Fatalf("open tickets %d after resolving, want 0", n)
	}
	q, _ := s.Tickets(TicketQuery{})
	if len(q) != 0 {
		t.Fatalf("queue holds %d tickets after resolving, want 0", len(q))
	}
	err = s.ViewRollups(func(r *Rollups) error {
		all := [2]uint32{0, ^uint32(0)}
		for metric, want := range map[string]int64{
			model.MTicketCreated: 1, model.MTicketOpenCreated: 0, model.MTicketResolved: 1, model.MTicketResolvedSec: 7200,
			model.MTicketResolvedInSLA: 1, model.Dim(model.MTicketCreated, "type", tk.Type): 1,
		} {
			if got := r.Sum(metric, all[0], all[1]); got != want {
				t.Errorf("%s = %d, want %d", metric, got, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	res, _ = s.Write([]model.Record{{Ticket: done}})
	if res.Unchanged != 1 {
		t.Fatalf("rewriting the same ticket: %+v, want unchanged", res)
	}
	mustCheck(t, s)
}

// TestRandomUpsertsStayConsistent writes random batches in which records
// are created and rewritten many times; after every batch the indexes and
// rollups must equal a recomputation from the records.
func TestRandomUpsertsStayConsistent(t *testing.T) {
	s := openTemp(t)
	rng := rand.New(rand.NewPCG(5, 6))
	for batch := 0; batch < 30; batch++ {
		recs := make([]model.Record, 1+rng.IntN(80))
		for i := range recs {
			recs[i] = randomRecord(rng, 60)
		}
		if _, err := s.Write(recs); err != nil {
			t.Fatal(err)
		}
		if batch%5 == 4 {
			mustCheck(t, s)
		}
	}
	rep := mustCheck(t, s)
	if rep.Tickets == 0 || rep.Feedback == 0 || rep.Events == 0 || rep.RollupKeys == 0 {
		t.Fatalf("expected every kind to be present: %+v", rep)
	}
}

func TestWriteIsAllOrNothing(t *testing.T) {
	s := openTemp(t)
	rng := rand.New(rand.NewPCG(7, 8))
	good := randomTicket(rng, 1)
	bad := randomTicket(rng, 2)
	bad.CreatedAt = time.Time{}
	_, err := s.Write([]model.Record{{Ticket: good}, {Ticket: bad}})
	if err == nil || !strings.Contains(err.Error(), "T00000002") || !strings.Contains(err.Error(), "created_at") {
		t.Fatalf("err %v, want one naming the ticket and field", err)
	}
	if _, err := s.Ticket(good.ID); !errors.Is(err, ErrNoSuchKey) {
		t.Fatalf("a failed batch left %s behind (err %v)", good.ID, err)
	}
	rep := mustCheck(t, s)
	if rep.Tickets != 0 || rep.RollupKeys != 0 {
		t.Fatalf("failed batch wrote something: %+v", rep)
	}
}

func TestQueueOrder(t *testing.T) {
	s := openTemp(t)
	mk := func(id, prio string, due time.Duration, esc bool) *model.Ticket {
		return &model.Ticket{ID: id, Status: model.StatusNew, Type: "complaint", Source: "email", Priority: prio,
			CreatedAt: t0, SLADueAt: t0.Add(due), Escalated: esc}
	}
	recs := []model.Record{
		{Ticket: mk("late", model.PriorityLow, 48*time.Hour, false)},
		{Ticket: mk("soon", model.PriorityLow, 2*time.Hour, false)},
		{Ticket: mk("esc", model.PriorityLow, 90*time.Hour, true)},
		{Ticket: mk("soon-urgent", model.PriorityUrgent, 2*time.Hour, false)},
		{Ticket: &model.Ticket{ID: "no-sla", Status: model.StatusInProgress, Type: "suggestion", Source: "store", Priority: model.PriorityHigh, CreatedAt: t0}},
	}
	if _, err := s.Write(recs); err != nil {
		t.Fatal(err)
	}
	got, err := s.Tickets(TicketQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tk := range got {
		ids = append(ids, tk.ID)
	}
	if want := "esc soon-urgent soon late no-sla"; strings.Join(ids, " ") != want {
		t.Fatalf("queue order %v, want %s", ids, want)
	}
	page, _ := s.Tickets(TicketQuery{Offset: 1, Limit: 2})
	if len(page) != 2 || page[0].ID != "soon-urgent" || page[1].ID != "soon" {
		t.Fatalf("page 2 of 2: %v", page)
	}
	for _, tc := range []struct {
		f    TicketFilter
		want string
	}{
		{TicketFilter{Type: "suggestion"}, "no-sla"},
		{TicketFilter{Type: "complaint"}, "esc soon-urgent soon late"},
		{TicketFilter{Type: "complaint", Source: "email"}, "esc soon-urgent soon late"},
		{TicketFilter{Source: "store"}, "no-sla"},
		{TicketFilter{Status: model.StatusInProgress}, "no-sla"},
		{TicketFilter{Type: "complaint", SubType: "billing_error"}, ""},
	} {
		got, err := s.Tickets(TicketQuery{Filter: tc.f})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, tk := range got {
			ids = append(ids, tk.ID)
		}
		if strings.Join(ids, " ") != tc.want {
			t.Errorf("filter %+v: %v, want %q", tc.f, ids, tc.want)
		}
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	src := openTemp(t)
	rng := rand.New(rand.NewPCG(9, 10))
	for i := 0; i < 5; i++ {
		recs := make([]model.Record, 100)
		for j := range recs {
			recs[j] = randomRecord(rng, 200)
		}
		if _, err := src.Write(recs); err != nil {
			t.Fatal(err)
		}
	}
	var first bytes.Buffer
	if err := src.Export(&first); err != nil {
		t.Fatal(err)
	}
	dst := openTemp(t)
	var recs []model.Record
	for i, line := range bytes.Split(bytes.TrimSuffix(first.Bytes(), []byte("\n")), []byte("\n")) {
		r, err := model.ParseRecord(line)
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		recs = append(recs, r)
	}
	// Reverse order: the export must not depend on insertion order.
	for i, j := 0, len(recs)-1; i < j; i, j = i+1, j-1 {
		recs[i], recs[j] = recs[j], recs[i]
	}
	if _, err := dst.Write(recs); err != nil {
		t.Fatal(err)
	}
	var second bytes.Buffer
	if err := dst.Export(&second); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Fatal("export → import → export is not byte-identical")
	}
	mustCheck(t, dst)
}

func TestCheckFindsTampering(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper func(tx *bolt.Tx) error
		want   string
	}{
		{"deleted queue entry", func(tx *bolt.Tx) error {
			k, _ := tx.Bucket(bucketIdxQueue).Cursor().First()
			return tx.Bucket(bucketIdxQueue).Delete(k)
		}, "index idx_queue: missing entry"},
		{"stray index entry", func(tx *bolt.Tx) error {
			return tx.Bucket(bucketIdxSource).Put([]byte("email\x00GHOST"), []byte{})
		}, "index idx_source: "},
		{"rollup off by one", func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketRollups).Cursor()
			k, v := c.Seek([]byte(model.MTicketCreated + "\x00"))
			one := int64(1)
			changed, err := mergePacked(v, map[string]*int64{"": &one})
			if err != nil {
				return err
			}
			return tx.Bucket(bucketRollups).Put(k, changed)
		}, "rollup tk.created @"},
		{"open counter", func(tx *bolt.Tx) error {
			return tx.Bucket(bucketMeta).Put(metaOpenCount, u64(12345))
		}, "open ticket count"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTemp(t)
			rng := rand.New(rand.NewPCG(11, 12))
			recs := make([]model.Record, 50)
			for i := range recs {
				tk := randomTicket(rng, i)
				tk.Status, tk.FirstResponseAt, tk.ResolvedAt = model.StatusNew, time.Time{}, time.Time{}
				recs[i] = model.Record{Ticket: tk}
			}
			if _, err := s.Write(recs); err != nil {
				t.Fatal(err)
			}
			mustCheck(t, s)
			if err := s.db.Update(tc.tamper); err != nil {
				t.Fatal(err)
			}
			rep, err := s.Check()
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() || !strings.Contains(rep.String(), tc.want) {
				t.Fatalf("check after %s:\n%s\nwant a problem containing %q", tc.name, rep, tc.want)
			}
		})
	}
}

func TestSubscribersNeverBlockTheWriter(t *testing.T) {
	s := openTemp(t)
	sub := s.Subscribe()
	idle := s.Subscribe() // never read
	defer idle.Cancel()
	rng := rand.New(rand.NewPCG(13, 14))
	for i := 0; i < 50; i++ {
		if _, err := s.Write([]model.Record{{Ticket: randomTicket(rng, 1000+i)}, {Event: randomEvent(rng, i)}}); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-sub.C:
	case <-time.After(5 * time.Second):
		t.Fatal("no notification")
	}
	c := sub.Take()
	if len(c.Tickets) != 50 || c.Events != 50 || c.Seq != 100 {
		t.Fatalf("merged change: %d tickets, %d events, seq %d; want 50, 50, 100", len(c.Tickets), c.Events, c.Seq)
	}
	if c2 := sub.Take(); !c2.Empty() {
		t.Fatalf("second Take should be empty, got %+v", c2)
	}
	sub.Cancel()
	if _, ok := <-sub.C; ok {
		t.Fatal("C should be closed after Cancel")
	}
}

func TestSnapshot(t *testing.T) {
	s := openTemp(t)
	rng := rand.New(rand.NewPCG(15, 16))
	if _, err := s.Write([]model.Record{{Ticket: randomTicket(rng, 1)}}); err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(t.TempDir(), "snap.db")
	if err := s.SnapshotTo(snap); err != nil {
		t.Fatal(err)
	}
	if err := s.SnapshotTo(snap); err == nil {
		t.Fatal("snapshot over an existing file should fail")
	}
	r, err := Open(snap, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var a, b bytes.Buffer
	s.Export(&a)
	r.Export(&b)
	if a.Len() == 0 || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("snapshot export differs from the live store's")
	}
}
