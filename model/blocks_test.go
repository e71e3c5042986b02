package model

import (
	"testing"
	"unsafe"
)

// TestBlockPoolSlabs takes blocks from a pool, which makes them in
// growing slabs, and checks that every block is whole and shares no
// element with another, that no slab passes slabBytes, and that the pool
// hands released blocks out again before it makes more.
func TestBlockPoolSlabs(t *testing.T) {
	type state struct{ a, b uint64 }
	var p blockPool[state]
	var l blockList[state]
	const n = 1 << 20 // states: 190 slabs of the biggest size
	for i := range n {
		l.push(state{a: uint64(i) + 1, b: uint64(i)}, &p)
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
	made := p.made
	if used := len(l.blocks); made < used || made > used+slabBlocks[state](made) {
		t.Errorf("%d blocks made for %d used", made, used)
	}
	if biggest := uintptr(slabBlocks[state](made)) * unsafe.Sizeof(state{}) << blockBits; biggest > slabBytes {
		t.Errorf("a slab of %d bytes, want at most %d", biggest, slabBytes)
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
