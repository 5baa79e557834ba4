package parallel

import (
	"fmt"
	"sync/atomic"
	"testing"
)

// Every item is worked once, by a worker of its own goroutine's state, for
// any number of workers and items.
func TestForWorksEveryItemOnce(t *testing.T) {
	for _, workers := range []int{0, 1, 2, 7} {
		for _, n := range []int{0, 1, 5, 1000} {
			t.Run(fmt.Sprintf("workers=%d/n=%d", workers, n), func(t *testing.T) {
				done := make([]int32, n)
				var made atomic.Int32
				type worker struct{ items int }
				For(n, workers, func() *worker { made.Add(1); return &worker{} }, func(w *worker, i int) {
					w.items++
					atomic.AddInt32(&done[i], 1)
				})
				for i, c := range done {
					if c != 1 {
						t.Fatalf("item %d worked %d times", i, c)
					}
				}
				if max := int32(max(1, min(workers, n))); n > 0 && (made.Load() < 1 || made.Load() > max) {
					t.Errorf("%d workers made, want 1 to %d", made.Load(), max)
				}
			})
		}
	}
}

// A panic on a worker comes back to the caller, as on one goroutine.
func TestForRaisesAPanicInTheCaller(t *testing.T) {
	for _, workers := range []int{1, 2} {
		func() {
			defer func() {
				if r := recover(); fmt.Sprint(r) != "item 3" {
					t.Errorf("workers=%d: recovered %v, want item 3", workers, r)
				}
			}()
			For(10, workers, func() struct{} { return struct{}{} }, func(_ struct{}, i int) {
				if i == 3 {
					panic(fmt.Sprintf("item %d", i))
				}
			})
			t.Errorf("workers=%d: no panic", workers)
		}()
	}
}
