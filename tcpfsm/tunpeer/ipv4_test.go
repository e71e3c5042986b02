//go:build linux

package tunpeer

import (
	"bytes"
	"encoding/hex"
	"errors"
	"net/netip"
	"testing"

	"github.com/synfin/synfin/tcpfsm/wire"
)

func TestIPChecksumKnownHeader(t *testing.T) {
	// A UDP packet's IPv4 header, 192.168.0.1 > 192.168.0.199, whose
	// checksum field holds 0xb861.
	hdr, _ := hex.DecodeString("450000730000400040110000c0a80001c0a800c7")
	if got := ipChecksum(hdr); got != 0xb861 {
		t.Errorf("ipChecksum = %#04x, want 0xb861", got)
	}
	hdr[10], hdr[11] = 0xb8, 0x61
	if got := ipChecksum(hdr); got != 0 {
		t.Errorf("ipChecksum of the intact header = %#04x, want 0", got)
	}
}

func TestPacketRoundTrip(t *testing.T) {
	src, dst := netip.MustParseAddr("198.18.0.2"), netip.MustParseAddr("198.18.0.1")
	h := wire.Header{SrcPort: 40000, DstPort: 80, Seq: 0xfffffff0, Ack: 7,
		Flags: wire.FlagPSH | wire.FlagACK, Window: 65535}
	payload := []byte("hello, kernel") // odd length: the checksum pads it
	b, err := AppendPacket(nil, src, dst, 42, &h, payload)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePacket(b)
	if err != nil {
		t.Fatal(err)
	}
	if p.Src != src || p.Dst != dst {
		t.Errorf("addresses %v > %v, want %v > %v", p.Src, p.Dst, src, dst)
	}
	p.TCP.Checksum = 0
	if p.TCP != h {
		t.Errorf("header\n got %+v\nwant %+v", p.TCP, h)
	}
	if !bytes.Equal(p.Payload, payload) {
		t.Errorf("payload %q, want %q", p.Payload, payload)
	}
	want := "198.18.0.2:40000 > 198.18.0.1:80 PSH|ACK seq 4294967280 ack 7 win 65535 len 13"
	if s := p.String(); s != want {
		t.Errorf("String() = %q, want %q", s, want)
	}

	// Any flipped bit is caught by one checksum or the other.
	for i := range b {
		bad := bytes.Clone(b)
		bad[i] ^= 0x10
		if _, err := ParsePacket(bad); err == nil {
			t.Errorf("bit flipped in byte %d: parsed without error", i)
		}
	}
}

func TestParsePacketNotTCP(t *testing.T) {
	if _, err := ParsePacket([]byte{0x60, 0, 0, 0}); !errors.Is(err, ErrNotIPv4) {
		t.Errorf("IPv6: err = %v, want ErrNotIPv4", err)
	}
	udp, _ := hex.DecodeString("45000073000040004011b861c0a80001c0a800c7")
	udp = append(udp, make([]byte, 0x73-20)...)
	if _, err := ParsePacket(udp); !errors.Is(err, ErrNotTCP) {
		t.Errorf("UDP: err = %v, want ErrNotTCP", err)
	}
}
