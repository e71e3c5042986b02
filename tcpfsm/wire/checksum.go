package wire

// The TCP checksum.
//
// RFC 9293 section 3.1: the checksum is the 16-bit ones' complement of the
// ones' complement sum of all 16-bit words in the header and text, and of a
// pseudo-header, with the checksum field taken as zero and an odd final
// byte padded on the right with a zero byte. The sum is the Internet
// checksum of RFC 1071. The pseudo-header is, for IPv4 (RFC 9293 section
// 3.1), source address, destination address, a zero byte, the protocol (6)
// and the TCP length (header plus data) in 16 bits; for IPv6 (RFC 8200
// section 8.1), source address, destination address, the upper-layer packet
// length in 32 bits, three zero bytes and the next header value (6).
//
// The functions here allocate nothing.

import (
	"encoding/binary"
	"math/bits"
	"net/netip"
	"strconv"
)

// protoTCP is TCP's number in IPv4's protocol and IPv6's next header field.
const protoTCP = 6

// checksumOffset is where the checksum field sits in the TCP header.
const checksumOffset = 16

// sumBytes adds b to the running ones' complement sum acc and returns the
// new sum. b must start at an even offset of the data being summed: the
// words of b are taken in big-endian order from its first byte, and an odd
// final byte is padded with a zero byte on the right (RFC 1071 section 4.1).
//
// The sum is kept in 64 bits with end-around carry. That gives the same
// 16-bit ones' complement sum once folded, because 2^64, like 2^16, is 1
// modulo 2^16-1 (RFC 1071 section 2(B): the sum can be taken in wider words).
func sumBytes(acc uint64, b []byte) uint64 {
	var carry uint64
	for len(b) >= 32 {
		acc, carry = bits.Add64(acc, binary.BigEndian.Uint64(b[0:8]), carry)
		acc, carry = bits.Add64(acc, binary.BigEndian.Uint64(b[8:16]), carry)
		acc, carry = bits.Add64(acc, binary.BigEndian.Uint64(b[16:24]), carry)
		acc, carry = bits.Add64(acc, binary.BigEndian.Uint64(b[24:32]), carry)
		b = b[32:]
	}
	for len(b) >= 8 {
		acc, carry = bits.Add64(acc, binary.BigEndian.Uint64(b[0:8]), carry)
		b = b[8:]
	}
	if len(b) >= 4 {
		acc, carry = bits.Add64(acc, uint64(binary.BigEndian.Uint32(b[0:4])), carry)
		b = b[4:]
	}
	if len(b) >= 2 {
		acc, carry = bits.Add64(acc, uint64(binary.BigEndian.Uint16(b[0:2])), carry)
		b = b[2:]
	}
	if len(b) == 1 {
		acc, carry = bits.Add64(acc, uint64(b[0])<<8, carry)
	}
	acc, carry = bits.Add64(acc, 0, carry)
	return acc + carry // a carry out of the last add leaves acc small: no overflow
}

// fold reduces a 64-bit ones' complement sum to 16 bits.
func fold(acc uint64) uint16 {
	for acc > 0xffff {
		acc = acc>>16 + acc&0xffff
	}
	return uint16(acc)
}

// pseudoSum returns the sum of the pseudo-header for a TCP segment of
// length n between src and dst: IPv4's when both addresses are IPv4, IPv6's
// otherwise (an IPv4 address then counts as its IPv4-mapped IPv6 form,
// ::ffff:a.b.c.d, which sums to the same value as a.b.c.d since 0xffff is
// zero in ones' complement). Zones are ignored.
func pseudoSum(src, dst netip.Addr, n int) uint64 {
	var acc uint64
	if src.Is4() && dst.Is4() {
		s, d := src.As4(), dst.As4()
		acc = sumBytes(acc, s[:])
		acc = sumBytes(acc, d[:])
	} else {
		s, d := src.As16(), dst.As16()
		acc = sumBytes(acc, s[:])
		acc = sumBytes(acc, d[:])
	}
	// The protocol and the length: IPv4 writes {0, 6, len16}, IPv6
	// {len32, 0, 0, 0, 6}. Both add up to 6 + len's 16-bit halves.
	u := uint32(n)
	sum, carry := bits.Add64(acc, protoTCP+uint64(u>>16)+uint64(u&0xffff), 0)
	return sum + carry
}

// Checksum returns the TCP checksum of segment (a TCP header followed by its
// data) sent from src to dst: the value for its checksum field. The bytes
// now in that field are ignored. Both addresses IPv4 select the IPv4
// pseudo-header; otherwise the IPv6 one is used. A segment too short to
// hold a checksum field is summed as it is. The result is never 0 for a
// TCP segment: the pseudo-header alone makes the sum nonzero.
func Checksum(src, dst netip.Addr, segment []byte) uint16 {
	acc := pseudoSum(src, dst, len(segment))
	if len(segment) < checksumOffset+2 {
		return ^fold(sumBytes(acc, segment))
	}
	acc = sumBytes(acc, segment[:checksumOffset])
	acc = sumBytes(acc, segment[checksumOffset+2:])
	return ^fold(acc)
}

// VerifyChecksum reports whether the checksum field of segment, sent from
// src to dst, is right: whether the sum over the pseudo-header and the whole
// segment, checksum field included, is all ones (RFC 1071 section 1).
// A segment shorter than a TCP header never verifies.
func VerifyChecksum(src, dst netip.Addr, segment []byte) bool {
	if len(segment) < MinHeaderLen {
		return false
	}
	return fold(sumBytes(pseudoSum(src, dst, len(segment)), segment)) == 0xffff
}

// SetChecksum computes the checksum of segment, sent from src to dst, and
// writes it into the segment's checksum field. It fails, writing nothing,
// if segment is shorter than a TCP header.
func SetChecksum(src, dst netip.Addr, segment []byte) error {
	if len(segment) < MinHeaderLen {
		return &HeaderError{Err: ErrHeaderTruncated, Offset: -1,
			Want: "at least 20 bytes", Got: strconv.Itoa(len(segment)) + " bytes"}
	}
	binary.BigEndian.PutUint16(segment[checksumOffset:], Checksum(src, dst, segment))
	return nil
}
