package model

import (
	"runtime"
	"syscall"
	"testing"
	"unsafe"
)

// TestPrefaultFaultsOnce checks what makeWritten and the block slabs are
// for: once a slice is prefaulted, reading it and then writing it takes no
// page faults. (A slice from make whose memory is fresh from the kernel
// takes two per page: one mapping the zero page on the read, one copying
// it on the write.) Both ways are checked: the kernel's
// MADV_POPULATE_WRITE, which makeWritten uses for a big slice, and a store
// per page, the fallback. It counts this thread's minor faults, so it
// locks the thread.
func TestPrefaultFaultsOnce(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const n = 64 << 20 / 8 // 64 MB: bigger than anything the heap holds free here
	for _, tc := range []struct {
		name string
		make func() []uint64
	}{
		{"makeWritten", func() []uint64 { return makeWritten[uint64](n) }},
		{"touch", func() []uint64 {
			s := make([]uint64, n)
			touch(unsafe.Pointer(unsafe.SliceData(s)), n*8)
			return s
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.make()
			before := threadFaults(t)
			var sum uint64
			for i := 0; i < n; i += pageSize / 8 {
				sum += s[i]
			}
			for i := 0; i < n; i += pageSize / 8 {
				s[i] = sum + 1
			}
			pages := n * 8 / pageSize
			if got := threadFaults(t) - before; got > int64(pages/16) {
				t.Errorf("reading then writing %d prefaulted pages took %d page faults, want almost none", pages, got)
			}
			runtime.KeepAlive(s)
		})
	}
}

func threadFaults(t *testing.T) int64 {
	t.Helper()
	const rusageThread = 1 // RUSAGE_THREAD
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		t.Skipf("getrusage(RUSAGE_THREAD): %v", err)
	}
	return ru.Minflt
}
