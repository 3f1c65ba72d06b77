package store

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// outboxTruth is what the outbox's entries themselves say: their number
// and the pending triage actions per ticket.
func outboxTruth(t *testing.T, s *Store) (int, map[string]int) {
	t.Helper()
	entries, err := s.Outbox(0)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, e := range entries {
		if e.Kind == OutboxAction {
			actions[actionTicketID(e.Payload)]++
		}
	}
	return len(entries), actions
}

// assertOutboxIndex checks OutboxLen and PendingActions against the
// entries.
func assertOutboxIndex(t *testing.T, s *Store, when string) {
	t.Helper()
	wantLen, wantActions := outboxTruth(t, s)
	if n, err := s.OutboxLen(); err != nil || n != wantLen {
		t.Fatalf("%s: OutboxLen %d (%v), the outbox holds %d", when, n, err, wantLen)
	}
	got, err := s.PendingActions()
	if err != nil || !reflect.DeepEqual(got, wantActions) {
		t.Fatalf("%s: PendingActions %v (%v), want %v", when, got, err, wantActions)
	}
}

// fillOutbox queues n entries, a third of them triage actions on five
// tickets and the rest contact requests, and acknowledges some of both.
func fillOutbox(t *testing.T, s *Store, n int, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 3))
	var queued []uint64
	for i := 0; i < n; i++ {
		_, err := s.Update(func(w *Writer) error {
			kind, payload := OutboxContact, fmt.Sprintf(`{"key":"c%d","customer_id":"C%d","ticket_id":"T%d"}`, i, i, i)
			if rng.IntN(3) == 0 {
				kind, payload = OutboxAction, fmt.Sprintf(`{"id":"a%d","ticket_id":"T%d","kind":"escalate"}`, i, rng.IntN(5))
			}
			ok, err := w.Enqueue(kind, fmt.Sprintf("%s-%d-%d", kind, seed, i), []byte(payload), t0)
			if ok {
				queued = append(queued, readU64(w.meta.Get(metaOutboxSeq)))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(queued) > 0 && rng.IntN(4) == 0 {
			j := rng.IntN(len(queued))
			seq := queued[j]
			queued = append(queued[:j], queued[j+1:]...)
			if _, err := s.Update(func(w *Writer) error { return w.AckOutbox(seq) }); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestOutboxLengthAndActionsFollowItsEntries(t *testing.T) {
	s := openTemp(t)
	assertOutboxIndex(t, s, "empty")
	fillOutbox(t, s, 120, 1)
	assertOutboxIndex(t, s, "after queueing and acknowledging")
	if _, actions := outboxTruth(t, s); len(actions) == 0 {
		t.Fatal("the test queued no triage action that stayed pending")
	}
	rep, err := s.Check()
	if err != nil || !rep.OK() {
		t.Fatalf("check: %v %v", rep, err)
	}
	if err := s.DropPending(); err != nil {
		t.Fatal(err)
	}
	assertOutboxIndex(t, s, "after DropPending")
	if n, _ := s.OutboxLen(); n != 0 {
		t.Fatalf("OutboxLen %d after DropPending", n)
	}
}

// downgradeToSchema2 makes s look like a store written before schema 3.
func downgradeToSchema2(t *testing.T, s *Store) {
	t.Helper()
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketOutboxActions); err != nil {
			return err
		}
		meta := tx.Bucket(bucketMeta)
		if err := meta.Delete(metaOutboxLen); err != nil {
			return err
		}
		return meta.Put(metaSchema, u64(2))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSchema2StoreGetsItsOutboxIndexOnAWritableOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v2.db")
	s, err := Open(path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	fillOutbox(t, s, 80, 2)
	wantLen, wantActions := outboxTruth(t, s)
	downgradeToSchema2(t, s)
	s.Close()

	// Read-only, it stays schema 2 and answers from the entries.
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open of a schema 2 store: %v", err)
	}
	if ro.schema != 2 {
		t.Fatalf("read-only open changed the schema to %d", ro.schema)
	}
	assertOutboxIndex(t, ro, "read-only schema 2")
	if rep, err := ro.Check(); err != nil || !rep.OK() {
		t.Fatalf("check of a schema 2 store: %v %v", rep, err)
	}
	ro.Close()

	var upgraded [2]uint64
	s, err = Open(path, Options{OnSchemaUpgrade: func(from, to uint64) { upgraded = [2]uint64{from, to} }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if upgraded != [2]uint64{2, SchemaVersion} || s.schema != SchemaVersion {
		t.Fatalf("upgrade %v, schema %d", upgraded, s.schema)
	}
	assertOutboxIndex(t, s, "upgraded")
	if n, _ := s.OutboxLen(); n != wantLen {
		t.Fatalf("upgraded OutboxLen %d, want %d", n, wantLen)
	}
	if got, _ := s.PendingActions(); !reflect.DeepEqual(got, wantActions) {
		t.Fatalf("upgraded PendingActions %v, want %v", got, wantActions)
	}
	if rep, err := s.Check(); err != nil || !rep.OK() {
		t.Fatalf("check after the upgrade: %v %v", rep, err)
	}
	// The index goes on following the outbox after the upgrade.
	fillOutbox(t, s, 30, 3)
	assertOutboxIndex(t, s, "written after the upgrade")
}

func TestCheckFindsAStaleOutboxIndex(t *testing.T) {
	s := openTemp(t)
	fillOutbox(t, s, 60, 4)
	_, actions := outboxTruth(t, s)
	if len(actions) == 0 {
		t.Fatal("no pending action to damage")
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if err := meta.Put(metaOutboxLen, u64(readU64(meta.Get(metaOutboxLen))+2)); err != nil {
			return err
		}
		k, _ := tx.Bucket(bucketOutboxActions).Cursor().First()
		if err := tx.Bucket(bucketOutboxActions).Delete(k); err != nil {
			return err
		}
		return tx.Bucket(bucketOutboxActions).Put(u64(1<<40), []byte("T9"))
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.Check()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(rep.Problems, "\n")
	for _, want := range []string{"outbox length is", "is missing", "names no queued action"} {
		if !strings.Contains(text, want) {
			t.Errorf("check does not say %q:\n%s", want, text)
		}
	}
}

func TestAdvanceStampRebasesOnlyThatTicketsActions(t *testing.T) {
	s := openTemp(t)
	fillOutbox(t, s, 40, 5) // contact requests and actions without stamps
	enqueue := func(key, ticket, base string) {
		t.Helper()
		payload, _ := json.Marshal(map[string]string{"id": key, "ticket_id": ticket, "kind": "escalate", "base_stamp": base})
		if _, err := s.Update(func(w *Writer) error {
			_, err := w.Enqueue(OutboxAction, key, payload, t0.Add(time.Minute))
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	enqueue("k1", "TX", "s1")
	enqueue("k2", "TX", "s0")
	enqueue("k3", "TY", "s1")
	if _, err := s.Update(func(w *Writer) error { return w.AdvanceStamp("TX", "s1", "s2") }); err != nil {
		t.Fatal(err)
	}
	entries, _ := s.Outbox(0)
	got := map[string]string{}
	for _, e := range entries {
		var a struct {
			Base string `json:"base_stamp"`
		}
		json.Unmarshal(e.Payload, &a)
		got[e.Key] = a.Base
	}
	if got["k1"] != "s2" || got["k2"] != "s0" || got["k3"] != "s1" {
		t.Fatalf("stamps after AdvanceStamp(TX, s1, s2): %v", got)
	}
	assertOutboxIndex(t, s, "after AdvanceStamp")
}
