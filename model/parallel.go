package model

import (
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// WorkerPanic is the value Check panics with when a System method or a
// predicate panicked on one of its worker goroutines: the panic is carried
// to the goroutine that called Check, with the stack where it happened.
type WorkerPanic struct {
	Value any
	Stack []byte
}

func (p *WorkerPanic) Error() string {
	return fmt.Sprintf("model: panic in worker: %v\n\n%s", p.Value, p.Stack)
}

// crew runs one phase of work on up to n goroutines and waits for all of
// them, so no goroutine outlives the phase. Worker 0 is the caller's own
// goroutine.
type crew struct {
	n        int
	panicked atomic.Pointer[WorkerPanic]
}

// run calls f(w) for w in [0, k) with k = min(c.n, tasks), each on its own
// goroutine except w = 0, and returns when all have returned. If any
// panicked, run panics on the caller's goroutine with a *WorkerPanic.
func (c *crew) run(tasks int, f func(w int)) {
	k := min(c.n, tasks)
	if k <= 1 {
		c.guard(0, f)
	} else {
		var wg sync.WaitGroup
		wg.Add(k - 1)
		for w := 1; w < k; w++ {
			go func() {
				defer wg.Done()
				c.guard(w, f)
			}()
		}
		c.guard(0, f)
		wg.Wait()
	}
	if p := c.panicked.Load(); p != nil {
		panic(p)
	}
}

func (c *crew) guard(w int, f func(int)) {
	defer func() {
		if v := recover(); v != nil {
			c.panicked.CompareAndSwap(nil, &WorkerPanic{Value: v, Stack: debug.Stack()})
		}
	}()
	f(w)
}

// forEach hands out the tasks 0..tasks-1 to the workers one at a time and
// calls do(w, task); worker 0 also calls between (if not nil) after each of
// its tasks.
func (c *crew) forEach(tasks int, do func(w, task int), between func()) {
	var next atomic.Int64
	c.run(tasks, func(w int) {
		for c.panicked.Load() == nil {
			t := int(next.Add(1) - 1)
			if t >= tasks {
				return
			}
			do(w, t)
			if w == 0 && between != nil {
				between()
			}
		}
	})
}
