//go:build linux

package tunpeer

// IPv4 packets carrying TCP: building them from a wire.Header and a
// payload, and reading them back.
//
// The IPv4 header is the 20-byte one of RFC 791 section 3.1, without
// options. The TCP checksum covers the IPv4 pseudo-header (RFC 9293 section
// 3.1) and is computed and checked by the codec, wire.SetChecksum and
// wire.VerifyChecksum; the IPv4 header checksum (RFC 791, RFC 1071) is
// computed here, as it covers the IP header alone.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"

	"github.com/synfin/synfin/tcpfsm/wire"
)

const (
	ipv4HeaderLen = 20
	protoTCP      = 6
	defaultTTL    = 64
	flagDF        = 0x4000 // don't fragment (RFC 791 section 3.1)
)

// Packet is a TCP segment in an IPv4 packet.
type Packet struct {
	Src, Dst netip.Addr
	TCP      wire.Header
	Payload  []byte // aliases the buffer the packet was parsed from
}

// String describes the packet in one line, tcpdump-like:
// "198.18.0.1:80 > 198.18.0.2:40000 SYN|ACK seq 100 ack 7 win 65535 len 0".
func (p *Packet) String() string {
	h := &p.TCP
	s := fmt.Sprintf("%v > %v %v seq %d", netip.AddrPortFrom(p.Src, h.SrcPort), netip.AddrPortFrom(p.Dst, h.DstPort),
		h.Flags, uint32(h.Seq))
	if h.Flags.Has(wire.FlagACK) {
		s += fmt.Sprintf(" ack %d", uint32(h.Ack))
	}
	return s + fmt.Sprintf(" win %d len %d", h.Window, len(p.Payload))
}

// Errors of ParsePacket that a reader of a TUN device may want to tell
// apart from damage: packets that are fine but not for a TCP peer.
var (
	ErrNotIPv4 = errors.New("not an IPv4 packet")
	ErrNotTCP  = errors.New("not a TCP packet")
)

// AppendPacket appends to b the IPv4 packet from src to dst that carries
// the TCP header h and payload, with both checksums filled in, and returns
// the extended slice. id is the IPv4 identification field. The header's
// Checksum field is ignored.
func AppendPacket(b []byte, src, dst netip.Addr, id uint16, h *wire.Header, payload []byte) ([]byte, error) {
	if !src.Is4() || !dst.Is4() {
		return b, fmt.Errorf("tunpeer: IPv4 packet between %v and %v", src, dst)
	}
	start := len(b)
	total := ipv4HeaderLen + h.Len() + len(payload)
	if total > 0xffff {
		return b, fmt.Errorf("tunpeer: IPv4 packet of %d bytes", total)
	}
	var ip [ipv4HeaderLen]byte
	ip[0] = 4<<4 | ipv4HeaderLen/4 // version 4, IHL 5
	binary.BigEndian.PutUint16(ip[2:4], uint16(total))
	binary.BigEndian.PutUint16(ip[4:6], id)
	binary.BigEndian.PutUint16(ip[6:8], flagDF)
	ip[8] = defaultTTL
	ip[9] = protoTCP
	s4, d4 := src.As4(), dst.As4()
	copy(ip[12:16], s4[:])
	copy(ip[16:20], d4[:])
	binary.BigEndian.PutUint16(ip[10:12], ipChecksum(ip[:]))
	b = append(b, ip[:]...)

	b, err := h.AppendTo(b)
	if err != nil {
		return b[:start], err
	}
	b = append(b, payload...)
	if err := wire.SetChecksum(src, dst, b[start+ipv4HeaderLen:]); err != nil {
		return b[:start], err
	}
	return b, nil
}

// ParsePacket reads an IPv4 packet carrying TCP. It checks the IPv4 header
// checksum and the TCP checksum. The payload aliases b. Packets that are
// not IPv4 get ErrNotIPv4, other protocols ErrNotTCP; fragments are refused
// (the kernel sets DF and never fragments towards a TUN of MTU 1500 the
// segments it sizes for it).
func ParsePacket(b []byte) (Packet, error) {
	var p Packet
	if len(b) < 1 || b[0]>>4 != 4 {
		return p, ErrNotIPv4
	}
	if len(b) < ipv4HeaderLen {
		return p, fmt.Errorf("tunpeer: IPv4 packet of %d bytes", len(b))
	}
	ihl := int(b[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(b[2:4]))
	if ihl < ipv4HeaderLen || total < ihl || total > len(b) {
		return p, fmt.Errorf("tunpeer: bad IPv4 lengths: header %d, total %d, read %d", ihl, total, len(b))
	}
	if ipChecksum(b[:ihl]) != 0 {
		return p, errors.New("tunpeer: bad IPv4 header checksum")
	}
	if b[9] != protoTCP {
		return p, ErrNotTCP
	}
	if frag := binary.BigEndian.Uint16(b[6:8]); frag&0x3fff != 0 {
		return p, errors.New("tunpeer: IPv4 fragment")
	}
	p.Src = netip.AddrFrom4([4]byte(b[12:16]))
	p.Dst = netip.AddrFrom4([4]byte(b[16:20]))
	seg := b[ihl:total]
	if !wire.VerifyChecksum(p.Src, p.Dst, seg) {
		return p, fmt.Errorf("tunpeer: bad TCP checksum from %v", p.Src)
	}
	var err error
	p.TCP, p.Payload, err = wire.ParseHeader(seg)
	return p, err
}

// ipChecksum returns the Internet checksum (RFC 1071) of b, an IPv4
// header: the value for its checksum field when that field holds zero, and
// zero when b, checksum included, is intact.
func ipChecksum(b []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	return ^uint16(sum)
}
