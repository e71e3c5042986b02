package tcpworld

import (
	"hash/maphash"
	"reflect"
	"unsafe"

	"github.com/synfin/synfin/tcpfsm"
)

// The fingerprint of a World. model's default hashes every byte that ==
// compares, in one maphash.Hash.Write per run of bytes between padding;
// a World has dozens of such runs, and two 152-byte Endpoints of which
// almost half is their Config and table pointer, which never change in a
// world: each side's endpoint is made once from the world's Config and
// only ever copied. The fingerprint here gathers the bytes that can
// change into one buffer, leaving out padding and those two fields of
// tcpfsm.Endpoint, and hashes them with one maphash.Bytes call. Equal
// Worlds have equal fingerprints: every field == looks at is either
// hashed or constant across the world (TestFingerprintConstantFields
// checks the constant ones on every state of a small world).

type span struct{ off, n uintptr }

// constantFields are the unexported fields of tcpfsm.Endpoint that stay
// as New made them in every state of a world. If tcpfsm renames them they
// are simply hashed.
var constantFields = map[string]bool{"cfg": true, "table": true}

type fingerprinter struct {
	spans []span
	size  uintptr
	seed  maphash.Seed
}

func newFingerprinter() fingerprinter {
	f := fingerprinter{seed: maphash.MakeSeed()}
	f.spans = spansOf(reflect.TypeFor[World](), 0, nil)
	for _, s := range f.spans {
		f.size += s.n
	}
	return f
}

// maxFingerprintBytes bounds the gathered bytes (a World is about 450
// bytes; the buffer lives on the stack).
const maxFingerprintBytes = 512

var (
	endpointType = reflect.TypeFor[tcpfsm.Endpoint]()
	epStoreType  = reflect.TypeFor[epStore]()
)

// spansOf appends the byte runs of a value of type t at offset base that
// == compares bitwise, merging adjacent runs. An epStore is read as the
// Endpoint it holds, without its constant fields.
func spansOf(t reflect.Type, base uintptr, out []span) []span {
	if t == epStoreType {
		t = endpointType
	}
	switch t.Kind() {
	case reflect.Array:
		for i := 0; i < t.Len(); i++ {
			out = spansOf(t.Elem(), base+uintptr(i)*t.Elem().Size(), out)
		}
		return out
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Name == "_" || t == endpointType && constantFields[f.Name] {
				continue
			}
			out = spansOf(f.Type, base+f.Offset, out)
		}
		return out
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Pointer:
		if n := len(out); n > 0 && out[n-1].off+out[n-1].n == base {
			out[n-1].n += t.Size()
			return out
		}
		return append(out, span{base, t.Size()})
	}
	// A float, string or interface would need more than its bytes.
	panic("tcpworld: cannot fingerprint a field of kind " + t.Kind().String())
}

// Fingerprint returns the 64-bit fingerprint of w (model.Fingerprinter).
func (s *System) Fingerprint(w World) uint64 {
	var buf [maxFingerprintBytes]byte
	p := unsafe.Pointer(&w)
	k := uintptr(0)
	for _, sp := range s.fp.spans {
		copy(buf[k:k+sp.n], unsafe.Slice((*byte)(unsafe.Add(p, sp.off)), sp.n))
		k += sp.n
	}
	return maphash.Bytes(s.fp.seed, buf[:k])
}

func init() {
	if f := newFingerprinter(); f.size > maxFingerprintBytes {
		panic("tcpworld: World grew beyond maxFingerprintBytes")
	}
}

// allSpans is spansOf without leaving anything out: every byte a field
// of t holds.
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
