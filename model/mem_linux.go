package model

import (
	"syscall"
	"unsafe"
)

// madvPopulateWrite is MADV_POPULATE_WRITE (Linux 5.14): map the pages of
// a range, writable, as if each had been written.
const madvPopulateWrite = 23

// populate asks the kernel to map the whole pages inside the n bytes at p
// and reports whether it did; an older kernel answers EINVAL, and the
// caller then touches the pages itself.
func populate(p unsafe.Pointer, n uintptr) bool {
	start := (uintptr(p) + pageSize - 1) &^ (pageSize - 1)
	end := (uintptr(p) + n) &^ (pageSize - 1)
	if end <= start {
		return true // no whole page: the caller's stores at the ends do it
	}
	_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, start, end-start, madvPopulateWrite)
	return errno == 0
}
