package seqnum

// Seq is a TCP sequence or acknowledgment number, a point in the space of
// 2^32 values that wraps around (RFC 9293 section 3.4).
//
// Comparisons between two numbers are defined when they are less than 2^31
// apart (RFC 1982 section 3.2). At exactly 2^31 apart RFC 1982 leaves the
// order undefined; here, as in Linux's before() and after(), each then
// counts as less than the other. TCP never gets there: its windows are at
// most 2^30 bytes (RFC 7323 section 2.3).
type Seq uint32

// Add returns s advanced by n, modulo 2^32 (RFC 1982 section 3.1; RFC 9293
// section 3.4). Adding 1 to 2^32-1 gives 0.
func (s Seq) Add(n uint32) Seq {
	return s + Seq(n)
}

// Sub returns the signed distance from o to s: the n, in [-2^31, 2^31), for
// which o.Add(uint32(n)) == s. It is positive when s is after o.
func (s Seq) Sub(o Seq) int32 {
	return int32(s - o)
}

// LessThan reports whether s comes before o (RFC 9293 section 3.4, "<"
// modulo 2^32; RFC 1982 section 3.2).
func (s Seq) LessThan(o Seq) bool {
	return int32(s-o) < 0
}

// LessEq reports whether s comes before o or equals it ("=<" in RFC 9293
// section 3.4).
func (s Seq) LessEq(o Seq) bool {
	return int32(s-o) <= 0
}

// GreaterThan reports whether s comes after o.
func (s Seq) GreaterThan(o Seq) bool {
	return int32(s-o) > 0
}

// GreaterEq reports whether s comes after o or equals it.
func (s Seq) GreaterEq(o Seq) bool {
	return int32(s-o) >= 0
}

// InRange reports whether lo =< s < hi, walking forward from lo modulo 2^32.
// The range holds hi-lo numbers (modulo 2^32), so it may span the wrap from
// 2^32-1 to 0; it is empty when lo == hi. This is the form of RFC 9293
// section 3.4's acceptability tests, for example RCV.NXT =< SEG.SEQ <
// RCV.NXT+RCV.WND.
func (s Seq) InRange(lo, hi Seq) bool {
	return uint32(s-lo) < uint32(hi-lo)
}

// InWindow reports whether start =< s < start+size, modulo 2^32: whether s
// falls in the size numbers that begin at start. A window of size 0 holds
// nothing (RFC 9293 section 3.10.7.4 treats a zero receive window apart).
func (s Seq) InWindow(start Seq, size uint32) bool {
	return uint32(s-start) < size
}
