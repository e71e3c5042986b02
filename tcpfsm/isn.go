package tcpfsm

// Initial sequence numbers.
//
// RFC 9293 section 3.4.1 requires that the initial sequence number of a
// connection be chosen as RFC 6528 describes, so that an off-path attacker
// cannot guess it:
//
//	ISN = M + F(localip, localport, remoteip, remoteport, secretkey)
//
// where M is a timer that ticks every 4 microseconds and F is a keyed
// pseudorandom function of the connection's identifier (RFC 6528 section
// 3). Here F is HMAC-SHA-256 (RFC 2104) truncated to its first 32 bits,
// computed with crypto/sha256 so that it allocates nothing. Following the
// design of this package, there is no clock inside: the caller passes the
// time and the key.

import (
	"crypto/sha256"
	"encoding/binary"
	"net/netip"
	"time"
)

// ISNTick is the period of the timer M of RFC 6528: M grows by one every
// 4 microseconds, so it wraps around 2^32 about every 4.77 hours.
const ISNTick = 4 * time.Microsecond

// hmacBlock is SHA-256's block size, the HMAC key length (RFC 2104 section 2).
const hmacBlock = 64

// ISN returns the initial sequence number for the connection from
// localIP:localPort to remoteIP:remotePort at time now, under the secret
// key, as RFC 6528 section 3 describes: M + F(...).
//
// now is a time since any fixed origin the caller picks (a monotonic clock's
// reading, or simulated time); M is now divided by ISNTick, rounded down,
// modulo 2^32. F is the first 32 bits, big-endian, of HMAC-SHA-256 under
// key of the 36-byte message: local address (16 bytes, IPv4 in its
// IPv4-mapped IPv6 form), local port (2 bytes, big-endian), remote address,
// remote port. Zones are ignored.
//
// key should be at least 128 bits of secret randomness (RFC 6528 section
// 3), for example from crypto/rand, kept for the life of the host or
// changed rarely: a new key gives every connection a new offset. Any
// length works; keys longer than 64 bytes are first hashed, as in HMAC.
//
// ISN allocates nothing.
func ISN(key []byte, now time.Duration, localIP netip.Addr, localPort uint16, remoteIP netip.Addr, remotePort uint16) Seq {
	m := now / ISNTick
	if now%ISNTick < 0 {
		m-- // round down before the origin, so that M still ticks every 4µs
	}
	return Seq(uint32(m)).Add(isnF(key, localIP, localPort, remoteIP, remotePort))
}

// isnF is the keyed function F of RFC 6528: HMAC-SHA-256 (RFC 2104),
// H((K ^ opad) || H((K ^ ipad) || msg)), truncated to 32 bits.
func isnF(key []byte, localIP netip.Addr, localPort uint16, remoteIP netip.Addr, remotePort uint16) uint32 {
	var k [hmacBlock]byte
	if len(key) > hmacBlock {
		sum := sha256.Sum256(key)
		copy(k[:], sum[:])
	} else {
		copy(k[:], key)
	}

	// Inner hash: (K ^ ipad) followed by the message.
	var inner [hmacBlock + 36]byte
	for i, b := range k {
		inner[i] = b ^ 0x36
	}
	msg := inner[hmacBlock:]
	l, r := localIP.As16(), remoteIP.As16()
	copy(msg[0:16], l[:])
	binary.BigEndian.PutUint16(msg[16:18], localPort)
	copy(msg[18:34], r[:])
	binary.BigEndian.PutUint16(msg[34:36], remotePort)
	innerSum := sha256.Sum256(inner[:])

	// Outer hash: (K ^ opad) followed by the inner hash.
	var outer [hmacBlock + sha256.Size]byte
	for i, b := range k {
		outer[i] = b ^ 0x5c
	}
	copy(outer[hmacBlock:], innerSum[:])
	mac := sha256.Sum256(outer[:])
	return binary.BigEndian.Uint32(mac[:4])
}
