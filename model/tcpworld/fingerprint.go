package tcpworld

import (
	"hash/maphash"
	"reflect"
	"unsafe"
)

// The fingerprint of a World. model's default hashes every byte that ==
// compares, in one maphash.Hash.Write per run of bytes between padding.
// A World is laid out with no padding between its fields (the endpoints'
// Snapshots, the network, then the small counters), so the fingerprint
// hashes its first hashedBytes bytes with one maphash.Bytes call: every
// field, and none of the padding at the end. Equal Worlds have equal
// fingerprints because every byte hashed belongs to a field.

// hashedBytes is the length of the run of fields at the start of a World;
// only padding follows it. The package does not initialise if a field
// leaves a gap.
var hashedBytes = func() uintptr {
	spans := allSpans(reflect.TypeFor[World](), 0, nil)
	if len(spans) != 1 || spans[0].off != 0 {
		panic("tcpworld: World has padding between its fields; the fingerprint would hash it")
	}
	return spans[0].n
}()

type span struct{ off, n uintptr }

// Fingerprint returns the 64-bit fingerprint of w (model.Fingerprinter).
func (s *System) Fingerprint(w World) uint64 {
	return maphash.Bytes(s.seed, unsafe.Slice((*byte)(unsafe.Pointer(&w)), hashedBytes))
}

// allSpans returns the runs of bytes that the fields of a value of type t
// at offset base occupy, merging adjacent runs.
func allSpans(t reflect.Type, base uintptr, out []span) []span {
	switch t.Kind() {
	case reflect.Array:
		for i := 0; i < t.Len(); i++ {
			out = allSpans(t.Elem(), base+uintptr(i)*t.Elem().Size(), out)
		}
		return out
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			out = allSpans(f.Type, base+f.Offset, out)
		}
		return out
	}
	if n := len(out); n > 0 && out[n-1].off+out[n-1].n == base {
		out[n-1].n += t.Size()
		return out
	}
	return append(out, span{base, t.Size()})
}
