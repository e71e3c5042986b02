package model

import (
	"sync"
	"testing"
	"unsafe"
)

// TestBlockPoolSlabs takes blocks from a pool, which makes them in slabs
// that grow with the pool, and checks that every block is whole and
// shares no element with another, that the slabs grow and stop at
// slabBytes, and that the pool hands released blocks out again before it
// makes more.
func TestBlockPoolSlabs(t *testing.T) {
	type state struct{ a, b uint64 }
	var p blockPool[state]
	var l blockList[state]
	var slabs []int // blocks made by each slab, as the pool's count grows
	const n = 1 << 20
	for i := range n {
		made := p.made
		l.push(state{a: uint64(i) + 1, b: uint64(i)}, &p)
		if p.made != made {
			slabs = append(slabs, p.made-made)
		}
	}
	for i := range n {
		if got := *l.at(i); got != (state{a: uint64(i) + 1, b: uint64(i)}) {
			t.Fatalf("state %d reads %+v: blocks overlap", i, got)
		}
	}
	for _, b := range l.blocks {
		if len(b) != 1<<blockBits || cap(b) != 1<<blockBits {
			t.Fatalf("a block of len %d cap %d, want %d", len(b), cap(b), 1<<blockBits)
		}
	}
	biggest := int(slabBytes / (unsafe.Sizeof(state{}) << blockBits))
	if slabs[0] != 1 || slabs[len(slabs)-1] != biggest {
		t.Errorf("slabs of %v blocks: want the first of 1, the last of %d", slabs, biggest)
	}
	for i := 1; i < len(slabs); i++ {
		if want := min(2*slabs[i-1], biggest); slabs[i] != want && !(i == 1 && slabs[i] == 1) {
			t.Fatalf("slabs of %v blocks: slab %d has %d, want %d", slabs, i, slabs[i], want)
		}
	}
	made := p.made
	if used := len(l.blocks); made < used || made > used+biggest {
		t.Errorf("%d blocks made for %d used", made, used)
	}
	l.release(&p)
	var m blockList[state]
	for range n {
		m.push(state{}, &p)
	}
	if p.made != made {
		t.Errorf("the pool made %d more blocks instead of reusing the %d released", p.made-made, made)
	}
}

// TestBlockPoolConcurrent has workers push and release through one pool at
// once, as the explorer's do (run it with -race): no block may be handed
// to two lists.
func TestBlockPoolConcurrent(t *testing.T) {
	var p blockPool[uint64]
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 20 {
				var l blockList[uint64]
				n := 1000 + 997*round
				for i := range n {
					l.push(uint64(w)<<32|uint64(i), &p)
				}
				for i := range n {
					if got := *l.at(i); got != uint64(w)<<32|uint64(i) {
						t.Errorf("worker %d round %d: state %d reads %#x: a block is shared", w, round, i, got)
						return
					}
				}
				l.release(&p)
			}
		}()
	}
	wg.Wait()
}
