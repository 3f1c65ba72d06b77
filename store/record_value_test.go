package store

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/cxtop/cxtop/model"
)

// asOldStore rewrites every value of the store in place as a store written
// before the binary encoding held it: the sequence, then the export JSON.
func asOldStore(t *testing.T, s *Store) {
	t.Helper()
	err := s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketTickets, bucketFeedback, bucketEvents} {
			b := tx.Bucket(name)
			var keys, values [][]byte
			err := b.ForEach(func(k, v []byte) error {
				r, err := decodeStored(v)
				if err != nil {
					return err
				}
				keys = append(keys, append([]byte(nil), k...))
				values = append(values, model.AppendRecord(append([]byte(nil), v[:8]...), r))
				return nil
			})
			if err != nil {
				return err
			}
			for i := range keys {
				if err := b.Put(keys[i], values[i]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func storedBytes(t *testing.T, s *Store, bucket []byte, id string) []byte {
	t.Helper()
	var v []byte
	s.db.View(func(tx *bolt.Tx) error {
		v = append([]byte(nil), tx.Bucket(bucket).Get([]byte(id))...)
		return nil
	})
	return v
}

func exportOf(t *testing.T, s *Store) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := s.Export(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestBinaryAndJSONValuesLiveTogether: a store written before the binary
// encoding (JSON values) reads, exports, checks and syncs as before; a
// record written again unchanged stays as it was, a changed one is
// rewritten in binary, and the export is the same bytes either way.
func TestBinaryAndJSONValuesLiveTogether(t *testing.T) {
	s := openTemp(t)
	rng := rand.New(rand.NewPCG(4, 2))
	var recs []model.Record
	for i := range 60 {
		recs = append(recs, model.Record{Ticket: randomTicket(rng, i)}, model.Record{Feedback: randomFeedback(rng, i)}, model.Record{Event: randomEvent(rng, i)})
	}
	if _, err := s.Write(recs); err != nil {
		t.Fatal(err)
	}
	if v := storedBytes(t, s, bucketTickets, recs[0].ID()); !model.IsBinaryRecord(v[8:]) {
		t.Fatalf("a new value is not binary: %q", v)
	}
	binaryExport := exportOf(t, s)
	var want []byte
	for _, kind := range []string{model.RecordTicket, model.RecordFeedback, model.RecordEvent} {
		var lines []string
		for _, r := range recs {
			if r.Kind() == kind {
				lines = append(lines, string(model.AppendRecord(nil, r))+"\n")
			}
		}
		slices.SortFunc(lines, func(a, b string) int { return strings.Compare(idOf(a), idOf(b)) })
		want = append(want, strings.Join(lines, "")...)
	}
	if !bytes.Equal(binaryExport, want) {
		t.Fatalf("the export of binary values is not the records' JSON:\n%s\nwant\n%s", binaryExport, want)
	}
	lines, _, _, err := s.Changes(0, 1000)
	if err != nil || len(lines) != len(recs) || !bytes.Equal(lines[0], model.AppendRecord(nil, recs[0])) {
		t.Fatalf("change feed of binary values: %d lines, first %s, %v", len(lines), lines[0], err)
	}

	asOldStore(t, s)
	old := storedBytes(t, s, bucketTickets, recs[0].ID())
	if old[8] != '{' {
		t.Fatalf("the old store's value is not JSON: %q", old)
	}
	if got := exportOf(t, s); !bytes.Equal(got, binaryExport) {
		t.Fatalf("the old store exports\n%s\nwant the same bytes\n%s", got, binaryExport)
	}
	mustCheck(t, s)
	tk, err := s.Ticket(recs[0].ID())
	if err != nil || !bytes.Equal(model.AppendRecord(nil, model.Record{Ticket: tk}), model.AppendRecord(nil, recs[0])) {
		t.Fatalf("ticket from a JSON value: %+v, %v", tk, err)
	}

	res, err := s.Write(recs[:3])
	if err != nil || res.Unchanged != 3 || res.Updated != 0 {
		t.Fatalf("writing old records again: %+v, %v; want 3 unchanged", res, err)
	}
	if v := storedBytes(t, s, bucketTickets, recs[0].ID()); !bytes.Equal(v, old) {
		t.Fatalf("an unchanged record was rewritten: %q", v)
	}
	changed := recs[0].Ticket.Clone()
	changed.Subject += " (edited)"
	res, err = s.Write([]model.Record{{Ticket: changed}})
	if err != nil || res.Updated != 1 {
		t.Fatalf("changing an old record: %+v, %v", res, err)
	}
	if v := storedBytes(t, s, bucketTickets, changed.ID); !model.IsBinaryRecord(v[8:]) {
		t.Fatalf("a changed record was not rewritten in binary: %q", v)
	}
	mustCheck(t, s)
	lines, _, _, err = s.Changes(0, 1000)
	if err != nil || !bytes.Equal(lines[len(lines)-1], model.AppendRecord(nil, model.Record{Ticket: changed})) {
		t.Fatalf("change feed after the rewrite: %v", err)
	}
}

func idOf(line string) string {
	_, rest, _ := strings.Cut(line, `"id":"`)
	id, _, _ := strings.Cut(rest, `"`)
	return id
}

// TestDamagedBinaryValue: a binary value that does not decode is one
// problem of check and a refused export naming the record, never a panic.
func TestDamagedBinaryValue(t *testing.T) {
	s := openTemp(t)
	rng := rand.New(rand.NewPCG(1, 1))
	tk := randomTicket(rng, 1)
	if _, err := s.Write([]model.Record{{Ticket: tk}}); err != nil {
		t.Fatal(err)
	}
	v := storedBytes(t, s, bucketTickets, tk.ID)
	s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTickets).Put([]byte(tk.ID), v[:len(v)-5])
	})
	rep, err := s.Check()
	if err != nil || rep.OK() || !strings.Contains(rep.String(), "unreadable value") {
		t.Fatalf("check of a truncated value: %v, %v", rep, err)
	}
	var out bytes.Buffer
	if err := s.Export(&out); err == nil || !strings.Contains(err.Error(), tk.ID) {
		t.Fatalf("export of a truncated value: %v", err)
	}
}
