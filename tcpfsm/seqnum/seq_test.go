package seqnum

import (
	"fmt"
	"math"
	"testing"
)

func TestSeqAdd(t *testing.T) {
	tests := []struct {
		s    Seq
		n    uint32
		want Seq
	}{
		{0, 0, 0},
		{0, 1, 1},
		{100, 1460, 1560},
		{math.MaxUint32, 1, 0},
		{math.MaxUint32 - 9, 20, 10},
		{1, math.MaxUint32, 0},
		{0x80000000, 0x80000000, 0},
	}
	for _, tt := range tests {
		if got := tt.s.Add(tt.n); got != tt.want {
			t.Errorf("Seq(%d).Add(%d) = %d, want %d", tt.s, tt.n, got, tt.want)
		}
	}
}

func TestSeqSub(t *testing.T) {
	tests := []struct {
		s, o Seq
		want int32
	}{
		{0, 0, 0},
		{10, 3, 7},
		{3, 10, -7},
		{5, math.MaxUint32 - 4, 10},  // s wrapped past 0
		{math.MaxUint32 - 4, 5, -10}, // o wrapped past 0
		{0, math.MaxUint32, 1},
		{math.MaxUint32, 0, -1},
		{0x7fffffff, 0, math.MaxInt32},
		{0x80000000, 0, math.MinInt32},
		{0, 0x80000000, math.MinInt32},
	}
	for _, tt := range tests {
		if got := tt.s.Sub(tt.o); got != tt.want {
			t.Errorf("Seq(%d).Sub(%d) = %d, want %d", tt.s, tt.o, got, tt.want)
		}
		// Sub and Add are inverse: o + (s-o) == s.
		if got := tt.o.Add(uint32(tt.s.Sub(tt.o))); got != tt.s {
			t.Errorf("Seq(%d).Add(uint32(Seq(%d).Sub(%d))) = %d, want %d", tt.o, tt.s, tt.o, got, tt.s)
		}
	}
}

// TestSeqCompare checks the four comparisons against a table of ordered pairs,
// including pairs that straddle the wrap from 2^32-1 to 0 and the undefined
// distance of exactly 2^31.
func TestSeqCompare(t *testing.T) {
	type order int
	const (
		before order = iota
		equal
		after
		both // exactly 2^31 apart: each counts as before the other
	)
	tests := []struct {
		s, o Seq
		want order
	}{
		{0, 0, equal},
		{math.MaxUint32, math.MaxUint32, equal},
		{1, 2, before},
		{2, 1, after},
		{math.MaxUint32, 0, before},         // 2^32-1 then 0 across the wrap
		{0, math.MaxUint32, after},          // 0 is one past 2^32-1
		{math.MaxUint32 - 100, 100, before}, // 201 apart across the wrap
		{100, math.MaxUint32 - 100, after},  //
		{0, 0x7fffffff, before},             // 2^31-1 apart: still ordered
		{0x7fffffff, 0, after},              //
		{0x80000000, 0xffffffff, before},    // 2^31-1 apart, high half
		{0x80000001, 0, before},             // 0 is 2^31-1 after 0x80000001
		{0, 0x80000001, after},              //
		{0, 0x80000000, both},               // undefined by RFC 1982
		{0x80000000, 0, both},               //
		{math.MaxUint32, 0x7fffffff, both},  //
		{0xfffffff0, 0x0000000f, before},    // 31 apart across the wrap
		{0x0000000f, 0xfffffff0, after},     //
		{0x7ffffffe, 0x80000002, before},    // across 2^31, which is no boundary
		{0x80000002, 0x7ffffffe, after},     //
		{math.MaxUint32 - 1, math.MaxUint32, before},
	}
	for _, tt := range tests {
		var lt, le, gt, ge bool
		switch tt.want {
		case before:
			lt, le = true, true
		case equal:
			le, ge = true, true
		case after:
			gt, ge = true, true
		case both:
			// int32(s-o) == MinInt32 both ways round.
			lt, le = true, true
		}
		name := fmt.Sprintf("%#x_vs_%#x", uint32(tt.s), uint32(tt.o))
		t.Run(name, func(t *testing.T) {
			if got := tt.s.LessThan(tt.o); got != lt {
				t.Errorf("LessThan = %v, want %v", got, lt)
			}
			if got := tt.s.LessEq(tt.o); got != le {
				t.Errorf("LessEq = %v, want %v", got, le)
			}
			if got := tt.s.GreaterThan(tt.o); got != gt {
				t.Errorf("GreaterThan = %v, want %v", got, gt)
			}
			if got := tt.s.GreaterEq(tt.o); got != ge {
				t.Errorf("GreaterEq = %v, want %v", got, ge)
			}
		})
	}
}

// TestSeqCompareConsistent checks, for many pairs around the wrap, that the
// comparisons agree with each other and with Sub.
func TestSeqCompareConsistent(t *testing.T) {
	bases := []Seq{0, 1, 1 << 31, math.MaxUint32, math.MaxUint32 - 1, 0x7fffffff, 0x80000001}
	deltas := []uint32{0, 1, 2, 1000, 1 << 30, 1<<31 - 1, 1 << 31, 1<<31 + 1, math.MaxUint32 - 1000, math.MaxUint32}
	for _, s := range bases {
		for _, d := range deltas {
			o := s.Add(d)
			diff := s.Sub(o)
			if s.LessThan(o) != (diff < 0) || s.LessEq(o) != (diff <= 0) ||
				s.GreaterThan(o) != (diff > 0) || s.GreaterEq(o) != (diff >= 0) {
				t.Errorf("Seq(%#x) vs Seq(%#x): comparisons disagree with Sub = %d", uint32(s), uint32(o), diff)
			}
			if d != 1<<31 && s.LessThan(o) == o.LessThan(s) && s != o {
				t.Errorf("Seq(%#x) vs Seq(%#x), %d apart: LessThan both ways = %v", uint32(s), uint32(o), d, s.LessThan(o))
			}
		}
	}
}

func TestSeqInRange(t *testing.T) {
	tests := []struct {
		name      string
		s, lo, hi Seq
		want      bool
	}{
		{"at lo", 10, 10, 20, true},
		{"inside", 15, 10, 20, true},
		{"last", 19, 10, 20, true},
		{"at hi", 20, 10, 20, false},
		{"below", 9, 10, 20, false},
		{"far above", 1 << 31, 10, 20, false},
		{"empty range", 10, 10, 10, false},
		{"wrap: at lo", math.MaxUint32 - 5, math.MaxUint32 - 5, 5, true},
		{"wrap: max", math.MaxUint32, math.MaxUint32 - 5, 5, true},
		{"wrap: zero", 0, math.MaxUint32 - 5, 5, true},
		{"wrap: last", 4, math.MaxUint32 - 5, 5, true},
		{"wrap: at hi", 5, math.MaxUint32 - 5, 5, false},
		{"wrap: below", math.MaxUint32 - 6, math.MaxUint32 - 5, 5, false},
		{"hi at zero: last", math.MaxUint32, math.MaxUint32 - 1, 0, true},
		{"hi at zero: zero", 0, math.MaxUint32 - 1, 0, false},
		{"whole space but one", 7, 9, 8, true},
		{"whole space but one: hole", 8, 9, 8, false},
	}
	for _, tt := range tests {
		if got := tt.s.InRange(tt.lo, tt.hi); got != tt.want {
			t.Errorf("%s: Seq(%#x).InRange(%#x, %#x) = %v, want %v", tt.name, uint32(tt.s), uint32(tt.lo), uint32(tt.hi), got, tt.want)
		}
	}
}

func TestSeqInWindow(t *testing.T) {
	tests := []struct {
		name     string
		s, start Seq
		size     uint32
		want     bool
	}{
		{"at start", 1000, 1000, 100, true},
		{"last", 1099, 1000, 100, true},
		{"one past", 1100, 1000, 100, false},
		{"before", 999, 1000, 100, false},
		{"zero window holds nothing", 1000, 1000, 0, false},
		{"one-byte window", 1000, 1000, 1, true},
		{"wrap: max", math.MaxUint32, math.MaxUint32 - 10, 65535, true},
		{"wrap: zero", 0, math.MaxUint32 - 10, 65535, true},
		{"wrap: last", 65523, math.MaxUint32 - 10, 65535, true},
		{"wrap: one past", 65524, math.MaxUint32 - 10, 65535, false},
		{"wrap: before start", math.MaxUint32 - 11, math.MaxUint32 - 10, 65535, false},
		{"scaled window 2^30", 1<<30 - 1, 0, 1 << 30, true},
		{"scaled window 2^30: past", 1 << 30, 0, 1 << 30, false},
		{"largest window", math.MaxUint32 - 1, 0, math.MaxUint32, true},
		{"largest window: hole", math.MaxUint32, 0, math.MaxUint32, false},
	}
	for _, tt := range tests {
		if got := tt.s.InWindow(tt.start, tt.size); got != tt.want {
			t.Errorf("%s: Seq(%#x).InWindow(%#x, %d) = %v, want %v", tt.name, uint32(tt.s), uint32(tt.start), tt.size, got, tt.want)
		}
		// InWindow(start, size) is InRange(start, start+size) for size < 2^32.
		if got := tt.s.InRange(tt.start, tt.start.Add(tt.size)); got != tt.want {
			t.Errorf("%s: Seq(%#x).InRange(%#x, %#x) = %v, want %v (as InWindow)", tt.name, uint32(tt.s), uint32(tt.start), uint32(tt.start.Add(tt.size)), got, tt.want)
		}
	}
}
