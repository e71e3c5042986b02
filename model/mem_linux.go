package model

import (
	"syscall"
	"unsafe"
)

// madvPopulateWrite is MADV_POPULATE_WRITE (Linux 5.14): map the pages of
// a range, writable, as if each had been written.
const madvPopulateWrite = 23

// osPageSize is the kernel's page size, to which madvise wants its range
// aligned.
var osPageSize = uintptr(syscall.Getpagesize())

// populate asks the kernel to map the whole pages inside the n bytes at p
// and reports whether it did; an older kernel answers EINVAL, and the
// caller then touches the pages itself.
func populate(p unsafe.Pointer, n uintptr) bool {
	start := (uintptr(p) + osPageSize - 1) &^ (osPageSize - 1)
	end := (uintptr(p) + n) &^ (osPageSize - 1)
	if end <= start {
		return false // no whole page: the caller touches what there is
	}
	_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, start, end-start, madvPopulateWrite)
	return errno == 0
}
