package model

import "sync"

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
	defer p.mu.Unlock()
	if n := len(p.free); n > 0 {
		b := p.free[n-1]
		p.free = p.free[:n-1]
		return b
	}
	p.made++
	return make([]S, 1<<blockBits)
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
