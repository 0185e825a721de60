package provider

import (
	"context"
	"sync"
)

// readAheadParallelism is how many reads readAhead runs at once: as many
// as Terraform runs operations by default (-parallelism). The client paces
// them under the rate limit.
const readAheadParallelism = 10

// readAhead starts read for each ID, a few at a time, in order, and returns
// for each the function that waits for its answer (call each at most
// once), and stop, which abandons the reads not yet done and waits for
// them: a list stops early when Terraform has the results it wants.
func readAhead[T any](ctx context.Context, ids []int64, read func(context.Context, int64) (T, error)) (answers []func() (T, error), stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	type answer struct {
		v   T
		err error
	}
	chans := make([]chan answer, len(ids))
	for i := range chans {
		chans[i] = make(chan answer, 1)
		answers = append(answers, func() (T, error) { a := <-chans[i]; return a.v, a.err })
	}
	slots := make(chan struct{}, readAheadParallelism)
	var wg sync.WaitGroup
	wg.Go(func() {
		for i, id := range ids {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				chans[i] <- answer{err: ctx.Err()}
				continue
			}
			wg.Go(func() {
				defer func() { <-slots }()
				v, err := read(ctx, id)
				chans[i] <- answer{v, err}
			})
		}
	})
	return answers, func() { cancel(); wg.Wait() }
}
