package store

import (
	"math/rand/v2"
	"testing"

	"github.com/cxtop/cxtop/model"
)

// BenchmarkDeleteVsPut measures a page of 1,000 deletions against the page
// of 1,000 puts that made the records (the ratio is what to read).
func BenchmarkDeleteVsPut(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 3))
	page := make([]model.Record, 1000)
	for i := range page {
		page[i] = model.Record{Ticket: randomTicket(rng, i)}
	}
	s := openTemp(b)
	b.Run("put", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			s.Update(func(w *Writer) error {
				for _, r := range page {
					w.Delete(r.Kind(), r.ID())
				}
				return nil
			})
			b.StartTimer()
			if _, err := s.Write(page); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("delete", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			if _, err := s.Write(page); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			s.Update(func(w *Writer) error {
				for _, r := range page {
					if _, err := w.Delete(r.Kind(), r.ID()); err != nil {
						b.Fatal(err)
					}
				}
				return nil
			})
		}
	})
}
