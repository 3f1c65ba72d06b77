package sim

import (
	"errors"

	"github.com/cxtop/cxtop/model"
)

// GenerateAhead is Generate with the generation running on a goroutine of
// its own, up to ahead batches in front of emit, which is called on the
// caller's goroutine with the batches in order. A simulation into a store
// then generates the next batch while the store writes this one (issue
// 14). It returns emit's first error (and stops the generation) or
// Generate's.
func GenerateAhead(opts Options, ahead int, emit func(batch []model.Record) error) error {
	batches := make(chan []model.Record, max(ahead, 0))
	quit := make(chan struct{})
	generated := make(chan error, 1)
	go func() {
		defer close(batches)
		generated <- Generate(opts, func(b []model.Record) error {
			select {
			case batches <- b:
				return nil
			case <-quit:
				return errEmitStopped
			}
		})
	}()
	var err error
	for b := range batches {
		if err != nil {
			continue // drained until the generator has stopped
		}
		if err = emit(b); err != nil {
			close(quit)
		}
	}
	if genErr := <-generated; err == nil && !errors.Is(genErr, errEmitStopped) {
		err = genErr
	}
	return err
}

var errEmitStopped = errors.New("sim: the consumer stopped")
