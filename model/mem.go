package model

import "unsafe"

// Memory fresh from the operating system costs a page fault on first touch,
// which is dear under a hypervisor, and a search touches each page of its
// peak once. Two things make that cheaper.
//
// Big arrays are written before they are read. Memory that is read first
// gets the shared zero page mapped in; the first write then takes a second
// fault that copies the page and, with more than one thread running, makes
// the other CPUs flush their TLBs. So the tables a search grows are made
// with makeWritten, which writes their pages before anything reads them.
//
// Where the kernel can (Linux 5.14 and later, mem_linux.go), the pages of
// a big array are mapped in one call instead of one fault each. The blocks
// of candidate states are made in slabs of up to a megabyte for the same
// reason (blocks.go).

// makeWritten returns a zeroed slice of n elements whose pages are mapped,
// writable, as it returns: by the kernel in one call where it can, or by a
// store into each page.
func makeWritten[T any](n int) []T {
	s := make([]T, n)
	prefaultSlice(s)
	return s
}

// prefaultSlice maps the pages that hold s, which must be zero: for the
// part of a slice's capacity that is sure to be written soon.
func prefaultSlice[T any](s []T) {
	if size := uintptr(len(s)) * unsafe.Sizeof(*new(T)); size > 0 {
		prefault(unsafe.Pointer(unsafe.SliceData(s)), size)
	}
}

// prefault maps the pages of the size bytes at p, which must be zero.
func prefault(p unsafe.Pointer, size uintptr) {
	if size >= populateMin && populate(p, size) {
		b := unsafe.Slice((*byte)(p), size)
		b[0], b[size-1] = 0, 0 // the partial pages at the ends, which the call leaves out
		return
	}
	touch(p, size)
}

// touch stores a zero into each page of the size bytes at p, which must
// be zero: storing zero into memory that is already zero changes no value,
// so it is safe whatever the memory holds.
func touch(p unsafe.Pointer, size uintptr) {
	b := unsafe.Slice((*byte)(p), size)
	for i := uintptr(0); i < size; i += pageSize {
		b[i] = 0
	}
	b[size-1] = 0
}

// pageSize is the smallest page size touch assumes: a store more often
// than the real page size needs costs next to nothing.
const pageSize = 4096

// populateMin is the size from which prefault asks the kernel: below it, a
// system call costs more than the faults it saves.
const populateMin = 64 << 10
