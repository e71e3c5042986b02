//go:build !linux

package model

import "runtime/metrics"

// ResidentBytes is, where the kernel's figure is not read, what the Go
// runtime holds from the operating system and has not returned.
func ResidentBytes() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64() - s[1].Value.Uint64())
}
