package model

import (
	"syscall"
)

// ResidentBytes is the resident set of the process, as the kernel charges
// it (the second field of /proc/self/statm, in pages), or 0 if it cannot
// be read.
func ResidentBytes() int64 {
	fd, err := syscall.Open("/proc/self/statm", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return 0
	}
	var buf [128]byte
	n, err := syscall.Read(fd, buf[:])
	syscall.Close(fd)
	if err != nil || n <= 0 {
		return 0
	}
	return statmResident(buf[:n]) * int64(osPageSize)
}

// statmResident is the second number of a statm line: the resident pages.
func statmResident(b []byte) int64 {
	i := 0
	for i < len(b) && b[i] != ' ' {
		i++
	}
	var n int64
	for i++; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		n = n*10 + int64(b[i]-'0')
	}
	return n
}
