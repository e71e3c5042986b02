package model

import (
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// A search can be stopped from outside: by a memory limit (Options
// MaxMemory) or by a context (Options Context). The workers look at both
// between chunks, so that nothing is added to the per-state work: at the
// context, and at a flag that a watcher goroutine raises when its samples
// of the resident set (taken on a ticker) reach the threshold. The
// explorer also reads the resident set itself after phase A and stops
// before phases B to D when what they will add would pass the threshold.

// StopReason says why a search ended before every reachable state was
// expanded.
type StopReason uint8

const (
	// NotStopped: the search was complete.
	NotStopped StopReason = iota
	// StoppedMaxStates: Options.MaxStates states were stored.
	StoppedMaxStates
	// StoppedMaxDepth: the frontier reached Options.MaxDepth.
	StoppedMaxDepth
	// StoppedViolation: Options.StopOnViolation, after a violation.
	StoppedViolation
	// StoppedMemory: the resident set reached the threshold of
	// Options.MaxMemory.
	StoppedMemory
	// StoppedCanceled: Options.Context was done.
	StoppedCanceled
)

func (r StopReason) String() string {
	return enumString("StopReason", int(r), int(NotStopped),
		"not stopped", "max states", "max depth", "violation", "memory limit", "canceled")
}

// halts reports whether r is a stop from outside the search (memory or
// context), after which the liveness check is not run: it needs memory,
// and the caller wants the result now.
func (r StopReason) halts() bool { return r == StoppedMemory || r == StoppedCanceled }

// sampleInterval is the time between two samples of the resident set: short
// enough that a search cannot grow by a tenth of a limit between two.
const sampleInterval = 2 * time.Millisecond

// MemoryThreshold is the resident set at which a search with MaxMemory
// limit stops: nine tenths of it. The rest is for the growth between two
// samples and for what follows the search (counterexamples, the caller's
// report).
func MemoryThreshold(limit int64) int64 { return limit - limit/10 }

// watcher samples the resident set while a search with a memory limit
// runs.
type watcher struct {
	halt    atomic.Uint32 // a StopReason; 0 while the search may go on
	peak    atomic.Int64  // largest resident set sampled
	stopAt  int64
	quit    chan struct{}
	stopped sync.WaitGroup
}

// newWatcher starts a watcher for the limit; it returns nil for no limit.
func newWatcher(limit int64) *watcher {
	if limit == 0 {
		return nil
	}
	w := &watcher{stopAt: MemoryThreshold(limit), quit: make(chan struct{})}
	w.sample()
	w.stopped.Add(1)
	go w.run()
	return w
}

func (w *watcher) run() {
	defer w.stopped.Done()
	t := time.NewTicker(sampleInterval)
	defer t.Stop()
	for {
		select {
		case <-w.quit:
			return
		case <-t.C:
			w.sample()
		}
	}
}

// sample reads the resident set, keeps the peak, and raises the flag at
// the threshold; it returns the resident set.
func (w *watcher) sample() int64 {
	rss := ResidentBytes()
	for {
		p := w.peak.Load()
		if rss <= p || w.peak.CompareAndSwap(p, rss) {
			break
		}
	}
	if rss >= w.stopAt {
		w.raise(StoppedMemory)
	}
	return rss
}

// raise sets the halt flag, keeping the first reason.
func (w *watcher) raise(r StopReason) { w.halt.CompareAndSwap(0, uint32(r)) }

// close stops the goroutine; the flag and the peak stay readable.
func (w *watcher) close() {
	close(w.quit)
	w.stopped.Wait()
}

// halted is the reason the search must stop now, or NotStopped. It is
// cheap: the workers call it between chunks.
func (e *explorer[S]) halted() StopReason {
	if ctx := e.opts.Context; ctx != nil && ctx.Err() != nil {
		return StoppedCanceled
	}
	if e.watch == nil {
		return NotStopped
	}
	return StopReason(e.watch.halt.Load())
}

// roomFor reports whether phases B to D of a level whose phase A left
// chs fit under the memory threshold; if not, it raises the flag.
func (e *explorer[S]) roomFor(chs []*chunk[S]) bool {
	w := e.watch
	if w == nil {
		return true
	}
	rss := w.sample()
	if w.halt.Load() != 0 {
		return false
	}
	if rss+e.growthOf(chs) >= w.stopAt {
		w.raise(StoppedMemory)
		return false
	}
	return true
}

// growthOf bounds what phases B to D add for the candidates of chs: the
// table (a slot for each, and a growing shard holds its old slots too),
// the parent links and indices, and the level's part of the graph.
func (e *explorer[S]) growthOf(chs []*chunk[S]) int64 {
	slot := int64(8)
	if e.tab.withIDs {
		slot = 12
	}
	var g int64
	for _, c := range chs {
		g += int64(len(c.cand)) * (3*slot + 6 + int64(len(e.goals)))
		switch e.live {
		case liveGraph:
			g += int64(len(c.edgeRef))*5 + int64(len(c.nsucc))*4
		case liveRanked:
			g += int64(len(c.kept)) * int64(unsafe.Sizeof(keptEdge{}))
		}
	}
	return g
}
