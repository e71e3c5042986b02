package model

import (
	"runtime"
	"syscall"
	"testing"
	"unsafe"
)

// TestPrefaultFaultsOnce checks what makeWritten and the block slabs are
// for: once memory is prefaulted, reading it and then writing it takes no
// page faults. (A slice from make whose memory is fresh from the kernel
// takes two per page: one mapping the zero page on the read, one copying
// it on the write.) Both ways are checked on their own: the kernel's
// MADV_POPULATE_WRITE (skipped where the kernel refuses it), which
// prefault uses for a big slice, and a store per page, the fallback. It
// counts the minor faults of the thread it runs on, so it locks each
// subtest to its thread.
func TestPrefaultFaultsOnce(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's shadow memory faults on its own")
	}
	const n = 64 << 20 / 8 // 64 MB: bigger than anything the heap holds free here
	for _, tc := range []struct {
		name     string
		prefault func(p unsafe.Pointer, size uintptr) bool
	}{
		{"populate", populate},
		{"touch", func(p unsafe.Pointer, size uintptr) bool { touch(p, size); return true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			s := make([]uint64, n)
			if !tc.prefault(unsafe.Pointer(unsafe.SliceData(s)), n*8) {
				t.Skip("the kernel refuses MADV_POPULATE_WRITE")
			}
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
