package model

import "unsafe"

// makeWritten returns a zeroed slice of n elements whose memory has been
// written once, a store per page.
//
// Memory fresh from the operating system that is read before it is written
// gets the shared zero page mapped in; the first write then takes a second
// fault that copies the page and, with more than one thread running, makes
// the other CPUs flush their TLBs. Under a hypervisor each of those costs
// tens of microseconds: the fingerprint table, whose new slots are read as
// it grows, made a search of the default TCP world spend four fifths of its
// time in the kernel (25 s instead of 5 on a 2-core VM). Written first, a
// page takes one fault and no flush.
func makeWritten[T any](n int) []T {
	s := make([]T, n)
	size := uintptr(n) * unsafe.Sizeof(*new(T))
	if size == 0 {
		return s
	}
	// Storing zero into memory that is already zero changes no value, so
	// it is safe whatever T holds.
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), size)
	for i := uintptr(0); i < size; i += pageSize {
		b[i] = 0
	}
	return s
}

// pageSize is the smallest page size makeWritten assumes: a store more
// often than the real page size needs costs next to nothing.
const pageSize = 4096
