package model

import (
	"sync"
	"unsafe"
)

// blockBits sets the size of the blocks that hold candidate states: 1<<7
// states each.
const blockBits = 7

const blockMask = 1<<blockBits - 1

// blockList is a growable array of states kept in fixed-size blocks that
// come from, and go back to, a shared blockPool. A breadth-first search
// holds two levels of states at a time, and level sizes change all the
// time; with blocks, the memory of one level is reused for the level after
// next, whatever its size and whichever chunks hold it, instead of being
// dropped for the collector while fresh memory (and its page faults) is
// taken for the next.
type blockList[S any] struct {
	blocks [][]S
	n      int
}

// blockPool is the free blocks; workers take and return them.
type blockPool[S any] struct {
	mu    sync.Mutex
	free  [][]S
	made  int // blocks made in all
	clear bool
}

func (p *blockPool[S]) get() []S {
	p.mu.Lock()
	if n := len(p.free); n > 0 {
		b := p.free[n-1]
		p.free = p.free[:n-1]
		p.mu.Unlock()
		return b
	}
	made := p.made
	p.mu.Unlock()
	// A slab of blocks at a time, its pages mapped at once (mem.go),
	// outside the lock: mapping a megabyte takes a while. Slabs grow with
	// the pool, so that a small search does not pay for a big one.
	n := slabBlocks[S](made)
	slab := make([]S, n<<blockBits)
	prefaultSlice(slab)
	block := func(i int) []S { return slab[i<<blockBits : (i+1)<<blockBits : (i+1)<<blockBits] }
	p.mu.Lock()
	for i := n - 1; i > 0; i-- {
		p.free = append(p.free, block(i))
	}
	p.made += n
	p.mu.Unlock()
	return block(0)
}

// slabBytes is about the size of the biggest slabs blocks are made in.
const slabBytes = 1 << 20

// slabBlocks is how many blocks of states S to make in one slab when made
// blocks exist already: as many again, up to slabBytes.
func slabBlocks[S any](made int) int {
	block := unsafe.Sizeof(*new(S)) << blockBits
	return max(1, min(made, int(slabBytes/max(1, block))))
}

// release returns every block of l to p and empties l.
func (l *blockList[S]) release(p *blockPool[S]) {
	if len(l.blocks) == 0 {
		return
	}
	if p.clear {
		for _, b := range l.blocks {
			clear(b) // let what the states point to be collected
		}
	}
	p.mu.Lock()
	p.free = append(p.free, l.blocks...)
	p.mu.Unlock()
	clear(l.blocks)
	l.blocks, l.n = l.blocks[:0], 0
}

func (l *blockList[S]) push(s S, p *blockPool[S]) {
	if l.n&blockMask == 0 && l.n>>blockBits == len(l.blocks) {
		l.blocks = append(l.blocks, p.get())
	}
	l.blocks[l.n>>blockBits][l.n&blockMask] = s
	l.n++
}

func (l *blockList[S]) at(k int) *S { return &l.blocks[k>>blockBits][k&blockMask] }
