package model

import (
	"runtime"
	"syscall"
	"testing"
)

// TestMakeWrittenFaultsOnce checks what makeWritten is for: once it has
// returned, reading the slice and then writing it takes no page faults.
// (A slice from make whose memory is fresh from the kernel takes two per
// page: one mapping the zero page on the read, one copying it on the
// write.) It counts this thread's minor faults, so it locks the thread.
func TestMakeWrittenFaultsOnce(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const n = 64 << 20 / 8 // 64 MB: bigger than anything the heap holds free here
	s := makeWritten[uint64](n)
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
		t.Errorf("reading then writing %d pages of a makeWritten slice took %d page faults, want almost none", pages, got)
	}
	runtime.KeepAlive(s)
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
