package model

import (
	"math"
	"reflect"
	"slices"
	"testing"
	"unsafe"
)

type padded struct {
	a uint8
	b uint32
	_ uint16
	c [2]struct {
		x bool
		y int64
	}
}

func TestFingerprintNoAlloc(t *testing.T) {
	type dense struct{ a, b, c uint8 }
	f1 := fingerprinter[dense]()
	f2 := fingerprinter[padded]()
	f3 := fingerprinter[uint64]()
	var sink uint64
	d, p, u := &dense{1, 2, 3}, &padded{a: 1}, new(uint64)
	n := testing.AllocsPerRun(100, func() {
		sink += f1(d) + f2(p) + f3(u)
	})
	if n != 0 {
		t.Errorf("fingerprint allocates %v times per call", n)
	}
}

func TestSpans(t *testing.T) {
	// a @0 (1 byte), b @4 (4), blank @8 skipped, c[0].x @16 (1),
	// c[0].y @24 (8) joined to c[1].x @32 (1), c[1].y @40 (8).
	got, ok := spansOf(reflect.TypeFor[padded](), 0, nil)
	want := []span{{0, 1}, {4, 4}, {16, 1}, {24, 9}, {40, 8}}
	if !ok || !slices.Equal(got, want) {
		t.Errorf("spans %v, %v; want %v", got, ok, want)
	}
	for _, typ := range []reflect.Type{
		reflect.TypeFor[float64](), reflect.TypeFor[string](), reflect.TypeFor[any](),
		reflect.TypeFor[struct{ a [40]padded }](), // 160 spans: too many
	} {
		if _, ok := spansOf(typ, 0, nil); ok {
			t.Errorf("%v hashed as bytes", typ)
		}
	}
}

// TestFingerprintIgnoresPadding writes garbage into the padding and the
// blank field of equal values: they must keep the same fingerprint.
func TestFingerprintIgnoresPadding(t *testing.T) {
	f := valueFingerprint[padded]()
	a := padded{a: 1, b: 2}
	a.c[1].y = 3
	b := a
	raw := unsafe.Slice((*byte)(unsafe.Pointer(&b)), unsafe.Sizeof(b))
	for _, off := range []int{1, 2, 3, 8, 9, 10, 17, 23, 33, 39} {
		raw[off] = 0xAA
	}
	if a != b {
		t.Fatal("padding changed the value")
	}
	if f(a) != f(b) {
		t.Error("padding changed the fingerprint")
	}
	b.c[1].y = 4
	if f(a) == f(b) {
		t.Error("a field change did not change the fingerprint")
	}
}

// TestFingerprintFallback: == on floats and strings is not bitwise, so
// such states use maphash.Comparable, which agrees with ==.
func TestFingerprintFallback(t *testing.T) {
	type mixed struct {
		x float64
		s string
	}
	f := valueFingerprint[mixed]()
	negZero := math.Copysign(0, -1)
	s1, s2 := "ab", string([]byte{'a', 'b'})
	if f(mixed{0, s1}) != f(mixed{negZero, s2}) {
		t.Error("equal states (+0 and -0, equal strings) have different fingerprints")
	}
	if g := valueFingerprint[[2]float32](); g([2]float32{0, 1}) != g([2]float32{float32(negZero), 1}) {
		t.Error("+0 and -0 have different fingerprints")
	}
	if f(mixed{1, "ab"}) == f(mixed{1, "ba"}) {
		t.Error("different strings have the same fingerprint")
	}
	g := valueFingerprint[struct{}]()
	if a, b := g(struct{}{}), g(struct{}{}); a != b {
		t.Error("struct{} fingerprint varies")
	}
}

// valueFingerprint is the default fingerprint of S, taking values.
func valueFingerprint[S comparable]() func(S) uint64 {
	f := fingerprinter[S]()
	return func(s S) uint64 { return f(&s) }
}
