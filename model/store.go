package model

import (
	"sync/atomic"
	"unsafe"
)

// pageBits sets the page size of paged arrays: 1<<16 elements.
const pageBits = 16

const pageMask = 1<<pageBits - 1

// paged is a growable array kept in fixed-size pages, so that growing never
// copies and never holds twice the memory, and so that several goroutines
// can write distinct elements once it has been grown.
type paged[T any] struct {
	pages [][]T
	n     int
}

// grow makes the length at least n.
func (p *paged[T]) grow(n int) {
	for len(p.pages)<<pageBits < n {
		p.pages = append(p.pages, make([]T, 1<<pageBits))
	}
	if n > p.n {
		p.n = n
	}
}

func (p *paged[T]) at(i int) T     { return p.pages[i>>pageBits][i&pageMask] }
func (p *paged[T]) set(i int, v T) { p.pages[i>>pageBits][i&pageMask] = v }

func (p *paged[T]) bytes() int64 {
	var zero T
	return int64(len(p.pages)) << pageBits * int64(unsafe.Sizeof(zero))
}

// bitset is a growable set of small integers.
type bitset []uint64

func (b bitset) has(i int) bool { return b[i>>6]&(1<<(i&63)) != 0 }
func (b bitset) add(i int)      { b[i>>6] |= 1 << (i & 63) }
func (b bitset) del(i int)      { b[i>>6] &^= 1 << (i & 63) }

// addAtomic adds i; goroutines may add to the same word at once.
func (b bitset) addAtomic(i int) { atomic.OrUint64(&b[i>>6], 1<<(i&63)) }

func (b *bitset) grow(n int) {
	for len(*b)*64 < n {
		*b = append(*b, 0)
	}
}

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) bytes() int64 { return int64(cap(b)) * 8 }
