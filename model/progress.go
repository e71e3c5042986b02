package model

import (
	"time"
	"unsafe"
)

// measure updates the peak of transient memory.
func (e *explorer[S]) measure() {
	var zero S
	m := int64(e.blocks.made) << blockBits * int64(unsafe.Sizeof(zero))
	for _, pool := range e.pools {
		for _, c := range pool {
			m += c.bytes()
		}
	}
	e.peak = max(e.peak, m)
}

func (e *explorer[S]) progress(done bool) {
	now := time.Now()
	e.lastProgress = now
	elapsed := now.Sub(e.start)
	expanded, trans := e.expanded, e.trans
	if !done {
		expanded, trans = int(e.expandedNow.Load()), e.transNow.Load()
	}
	p := Progress{
		States:      e.states,
		Queue:       e.states - expanded,
		Transitions: trans,
		Depth:       e.depth,
		Elapsed:     elapsed,
		RSS:         ResidentBytes(),
		Done:        done,
		Stopped:     e.stop,
	}
	if elapsed > 0 {
		p.Rate = float64(e.states) / elapsed.Seconds()
	}
	e.opts.Progress(p)
}
