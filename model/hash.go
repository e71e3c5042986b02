package model

import (
	"hash/maphash"
	"reflect"
	"unsafe"
)

// The default fingerprint. maphash.Comparable is correct for every
// comparable type, but in generic code it makes its argument escape, so it
// allocates a copy of the state on every call. Most model states are made
// of integers, booleans and arrays or structs of them, for which == is
// equality of the bytes that hold data. For those types the fingerprint is
// maphash over exactly those bytes (padding and blank fields left out),
// which allocates nothing. Types holding floats (+0 == -0), strings or
// interfaces use maphash.Comparable.

// span is a run of bytes of a state that == compares bitwise.
type span struct{ off, n uintptr }

// maxSpans bounds the byte runs hashed separately; a type with more (say,
// a long array of padded structs) uses maphash.Comparable.
const maxSpans = 64

// spansOf returns the byte runs that hold the data of a value of type t at
// offset base, merged where adjacent, or ok = false if == on t is not
// bitwise equality of those runs.
func spansOf(t reflect.Type, base uintptr, out []span) ([]span, bool) {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Pointer, reflect.UnsafePointer, reflect.Chan:
		if t.Size() == 0 {
			return out, true
		}
		if n := len(out); n > 0 && out[n-1].off+out[n-1].n == base {
			out[n-1].n += t.Size()
			return out, true
		}
		if len(out) == maxSpans {
			return out, false
		}
		return append(out, span{base, t.Size()}), true
	case reflect.Array:
		elem := t.Elem()
		for i := 0; i < t.Len(); i++ {
			var ok bool
			if out, ok = spansOf(elem, base+uintptr(i)*elem.Size(), out); !ok {
				return out, false
			}
		}
		return out, true
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Name == "_" {
				continue // == ignores blank fields
			}
			var ok bool
			if out, ok = spansOf(f.Type, base+f.Offset, out); !ok {
				return out, false
			}
		}
		return out, true
	}
	return out, false
}

// fingerprinter returns the default fingerprint function for S, which
// reads the state in place.
func fingerprinter[S comparable]() func(*S) uint64 {
	spans, ok := spansOf(reflect.TypeFor[S](), 0, nil)
	switch {
	case !ok:
		return func(s *S) uint64 { return maphash.Comparable(seed, *s) }
	case len(spans) == 0:
		return func(*S) uint64 { return 0 } // one value only, as struct{}
	case len(spans) == 1:
		off, n := spans[0].off, spans[0].n
		return func(s *S) uint64 {
			p := unsafe.Add(unsafe.Pointer(s), off)
			return maphash.Bytes(seed, unsafe.Slice((*byte)(p), n))
		}
	}
	return func(s *S) uint64 {
		var h maphash.Hash
		h.SetSeed(seed)
		for _, sp := range spans {
			p := unsafe.Add(unsafe.Pointer(s), sp.off)
			h.Write(unsafe.Slice((*byte)(p), sp.n))
		}
		return h.Sum64()
	}
}
