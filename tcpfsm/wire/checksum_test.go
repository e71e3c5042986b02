package wire

import (
	"encoding/binary"
	"math/rand/v2"
	"net/netip"
	"strconv"
	"testing"
)

// TestSumRFC1071 checks the ones' complement sum against the numerical
// example of RFC 1071 section 3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to
// ddf2, in any grouping.
func TestSumRFC1071(t *testing.T) {
	b := hx(`0001 f203 f4f5 f6f7`)
	if got := fold(sumBytes(0, b)); got != 0xddf2 {
		t.Errorf("sum of RFC 1071 example = %#04x, want 0xddf2", got)
	}
	// Summed in two even-aligned parts, the result is the same.
	if got := fold(sumBytes(sumBytes(0, b[:2]), b[2:])); got != 0xddf2 {
		t.Errorf("sum in two parts = %#04x, want 0xddf2", got)
	}
}

// naiveSum is the textbook RFC 1071 loop, 16 bits at a time, to check the
// 64-bit version against.
func naiveSum(b []byte) uint16 {
	var s uint32
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		s += uint32(b[len(b)-1]) << 8
	}
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	return uint16(s)
}

func TestSumMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 200 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		if got, want := fold(sumBytes(0, b)), naiveSum(b); got != want {
			t.Errorf("%d random bytes: sum = %#04x, naive = %#04x", n, got, want)
		}
		for i := range b {
			b[i] = 0xff // all ones: the end-around carry on every word
		}
		if got, want := fold(sumBytes(0, b)), naiveSum(b); got != want {
			t.Errorf("%d bytes of 0xff: sum = %#04x, naive = %#04x", n, got, want)
		}
	}
	// A starting sum near 2^64 must carry around, not overflow: 2^64-2 is
	// -1 modulo 2^16-1, so adding 5 gives 4.
	if got, want := fold(sumBytes(^uint64(0)-1, hx(`0005`))), uint16(4); got != want {
		t.Errorf("sum from 2^64-2 = %#04x, want %#04x", got, want)
	}
}

// The segment of the known vectors: port 12345 to port 80, SEQ 1, a SYN
// with window 65535 and no options, checksum field zero.
var vectorSYN = hx(`3039 0050 | 00000001 | 00000000 | 5002 ffff | 0000 0000`)

// TestChecksumVectors checks hand-computed checksums.
func TestChecksumVectors(t *testing.T) {
	v4a, v4b := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2")
	v6a, v6b := netip.MustParseAddr("fe80::1"), netip.MustParseAddr("fe80::2")
	tests := []struct {
		name     string
		src, dst netip.Addr
		seg      []byte
		want     uint16
	}{
		// IPv4 pseudo-header: 0a00+0001+0a00+0002+0006+0014 = 141d.
		// Segment: 3039+0050+0001+5002+ffff = 1808b -> 808c.
		// 141d+808c = 94a9, complement 6b56.
		{"IPv4 SYN", v4a, v4b, vectorSYN, 0x6b56},
		// IPv6 pseudo-header: fe80+0001+fe80+0002+0000+0014+0006 = 1fd1d -> fd1e.
		// fd1e+808c = 17daa -> 7dab, complement 8254.
		{"IPv6 SYN", v6a, v6b, vectorSYN, 0x8254},
		// One byte of data "a", odd length: padded to 6100; TCP length 21.
		// 141e + 808c + 6100 = f5aa, complement 0a55.
		{"IPv4 SYN odd payload", v4a, v4b, append(append([]byte(nil), vectorSYN...), 'a'), 0x0a55},
		// The pseudo-header sum is symmetric in src and dst.
		{"IPv4 SYN reversed addresses", v4b, v4a, vectorSYN, 0x6b56},
		// The old checksum field is ignored.
		{"IPv4 SYN stale checksum field", v4a, v4b, hx(`3039 0050 | 00000001 | 00000000 | 5002 ffff | dead 0000`), 0x6b56},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Checksum(tt.src, tt.dst, tt.seg); got != tt.want {
				t.Errorf("Checksum = %#04x, want %#04x", got, tt.want)
			}
			seg := append([]byte(nil), tt.seg...)
			if VerifyChecksum(tt.src, tt.dst, seg) && binary.BigEndian.Uint16(seg[16:]) != tt.want {
				t.Errorf("VerifyChecksum true with checksum field %#04x", binary.BigEndian.Uint16(seg[16:]))
			}
			if err := SetChecksum(tt.src, tt.dst, seg); err != nil {
				t.Fatal(err)
			}
			if got := binary.BigEndian.Uint16(seg[16:]); got != tt.want {
				t.Errorf("SetChecksum wrote %#04x, want %#04x", got, tt.want)
			}
			if !VerifyChecksum(tt.src, tt.dst, seg) {
				t.Errorf("VerifyChecksum after SetChecksum = false")
			}
		})
	}
}

// TestVerifyChecksumDetects flips every bit of a checksummed segment and of
// its addresses in turn and checks that verification then fails.
func TestVerifyChecksumDetects(t *testing.T) {
	src, dst := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("198.51.100.7")
	seg := append(append([]byte(nil), linuxSYN...), "GET / HTTP/1.0\r\n\r\n"...)
	if err := SetChecksum(src, dst, seg); err != nil {
		t.Fatal(err)
	}
	if !VerifyChecksum(src, dst, seg) {
		t.Fatal("VerifyChecksum = false on a fresh checksum")
	}
	for i := range len(seg) * 8 {
		seg[i/8] ^= 1 << (i % 8)
		if VerifyChecksum(src, dst, seg) {
			t.Errorf("bit %d of the segment flipped: VerifyChecksum = true", i)
		}
		seg[i/8] ^= 1 << (i % 8)
	}
	if VerifyChecksum(dst, netip.MustParseAddr("198.51.100.8"), seg) {
		t.Error("wrong destination address: VerifyChecksum = true")
	}
	if VerifyChecksum(src, dst, seg[:len(seg)-1]) {
		t.Error("segment one byte short: VerifyChecksum = true")
	}
	// The IPv6 pseudo-header of the IPv4-mapped addresses (::ffff:a.b.c.d)
	// sums to the same value: ffff is zero in ones' complement, and the
	// 32-bit length adds up as the 16-bit one.
	if !VerifyChecksum(netip.AddrFrom16(src.As16()), netip.AddrFrom16(dst.As16()), seg) {
		t.Error("IPv4-mapped IPv6 addresses: VerifyChecksum = false, want true")
	}
}

func TestChecksumShortSegments(t *testing.T) {
	a := netip.MustParseAddr("10.0.0.1")
	for n := range MinHeaderLen {
		seg := make([]byte, n)
		_ = Checksum(a, a, seg) // must not panic
		if VerifyChecksum(a, a, seg) {
			t.Errorf("VerifyChecksum of %d bytes = true, want false", n)
		}
		if err := SetChecksum(a, a, seg); err == nil {
			t.Errorf("SetChecksum of %d bytes: no error", n)
		}
	}
	var zero netip.Addr
	_ = Checksum(zero, zero, vectorSYN) // the zero Addr must not panic
}

// TestChecksumAllocs asserts that computing and verifying allocate nothing.
func TestChecksumAllocs(t *testing.T) {
	src, dst := netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("2001:db8::2")
	seg := make([]byte, 1500)
	copy(seg, linuxSYN)
	var sink uint16
	if n := testing.AllocsPerRun(100, func() { sink += Checksum(src, dst, seg) }); n != 0 {
		t.Errorf("Checksum: %v allocs per run, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		if VerifyChecksum(src, dst, seg) {
			sink++
		}
	}); n != 0 {
		t.Errorf("VerifyChecksum: %v allocs per run, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = SetChecksum(src, dst, seg) }); n != 0 {
		t.Errorf("SetChecksum: %v allocs per run, want 0", n)
	}
	_ = sink
}

func BenchmarkChecksum(b *testing.B) {
	src, dst := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("198.51.100.7")
	for _, size := range []int{20, 64, 1460, 9000} {
		seg := make([]byte, size)
		for i := range seg {
			seg[i] = byte(i * 7)
		}
		b.Run(strconv.Itoa(size)+"B", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				_ = Checksum(src, dst, seg)
			}
		})
	}
}
