package model

import (
	"testing"
	"unsafe"
)

func TestMakeWrittenIsZeroed(t *testing.T) {
	type withPointer struct {
		p *int
		n [3]uint64
	}
	check := func(t *testing.T, n int, zero func(int) bool, size uintptr, length, capacity int) {
		t.Helper()
		if length != n || capacity != n {
			t.Fatalf("len %d cap %d, want %d", length, capacity, n)
		}
		for i := range n {
			if !zero(i) {
				t.Fatalf("element %d of %d (%d bytes each) is not zero", i, n, size)
			}
		}
	}
	for _, n := range []int{0, 1, 7, pageSize/8 - 1, pageSize / 8, pageSize/8 + 1, 3*pageSize + 5, 1 << 20} {
		u64 := makeWritten[uint64](n)
		check(t, n, func(i int) bool { return u64[i] == 0 }, 8, len(u64), cap(u64))
		u8 := makeWritten[uint8](n)
		check(t, n, func(i int) bool { return u8[i] == 0 }, 1, len(u8), cap(u8))
		wp := makeWritten[withPointer](n)
		check(t, n, func(i int) bool { return wp[i].p == nil && wp[i].n == [3]uint64{} }, unsafe.Sizeof(withPointer{}), len(wp), cap(wp))
		empty := makeWritten[struct{}](n)
		check(t, n, func(int) bool { return true }, 0, len(empty), cap(empty))
	}
}
