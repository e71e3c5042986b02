//go:build !amd64 && !arm64

package model

import "unsafe"

// prefetch does nothing where the explorer has no prefetch instruction
// (prefetch_asm.go).
func prefetch(unsafe.Pointer) {}
