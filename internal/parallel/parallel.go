// Package parallel runs the items of a job on several goroutines, each
// with its own worker state, and brings a panic back to the caller.
package parallel

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/logpath/logpath/internal/crash"
)

// For calls work(w, i) once for every i in [0, n), on up to workers
// goroutines, each with its own w from newWorker, and returns when all
// are done. With one worker (or one item) it runs in the caller's
// goroutine. Items are taken in order but finish in any order: work
// writes its result to the item's own slot.
//
// A panic in work stops the goroutine that raised it; once the others
// are done, the first panic's value is raised again, as a string, in the
// caller's goroutine, where the caller's recovery turns it into an error
// (a panic on a worker goroutine would end the process: crash.Guard
// catches what escapes even this).
func For[W any](n, workers int, newWorker func() W, work func(w W, i int)) {
	workers = min(workers, n)
	if workers <= 1 {
		if n > 0 {
			w := newWorker()
			for i := range n {
				work(w, i)
			}
		}
		return
	}
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		panicked atomic.Value
	)
	for range workers {
		wg.Go(func() {
			defer crash.Guard()
			defer func() {
				if r := recover(); r != nil {
					panicked.CompareAndSwap(nil, fmt.Sprint(r))
				}
			}()
			w := newWorker()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				work(w, i)
			}
		})
	}
	wg.Wait()
	if r := panicked.Load(); r != nil {
		panic(r)
	}
}
