//go:build amd64 || arm64

package model

import "unsafe"

// prefetch asks the CPU to bring the cache line at p into its caches and
// goes on without waiting (prefetch.go). It cannot fault, whatever p is.
//
//go:noescape
func prefetch(p unsafe.Pointer)
