package tcpfsm

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"net/netip"
	"testing"
	"time"
)

var (
	isnKey    = []byte("0123456789abcdef") // 128 bits
	isnLocal  = netip.MustParseAddr("192.0.2.1")
	isnRemote = netip.MustParseAddr("198.51.100.7")
)

// TestISNKeyedHash checks F against crypto/hmac: HMAC-SHA-256 of the 36-byte
// message, first 32 bits. At time 0, M is 0, so the ISN is F.
func TestISNKeyedHash(t *testing.T) {
	tests := []struct {
		name          string
		key           []byte
		local, remote netip.Addr
		lport, rport  uint16
	}{
		{"IPv4", isnKey, isnLocal, isnRemote, 49152, 80},
		{"IPv6", isnKey, netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("2001:db8::2"), 443, 65535},
		{"empty key", nil, isnLocal, isnRemote, 1, 2},
		{"64-byte key", make([]byte, 64), isnLocal, isnRemote, 1, 2},
		{"long key is hashed", []byte("a key longer than the sixty-four bytes of a SHA-256 block, so HMAC hashes it first"), isnLocal, isnRemote, 1, 2},
		{"zone ignored", isnKey, netip.MustParseAddr("fe80::1%eth0"), netip.MustParseAddr("fe80::2"), 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var msg [36]byte
			l, r := tt.local.As16(), tt.remote.As16()
			copy(msg[0:], l[:])
			binary.BigEndian.PutUint16(msg[16:], tt.lport)
			copy(msg[18:], r[:])
			binary.BigEndian.PutUint16(msg[34:], tt.rport)
			mac := hmac.New(sha256.New, tt.key)
			mac.Write(msg[:])
			want := Seq(binary.BigEndian.Uint32(mac.Sum(nil)))
			if got := ISN(tt.key, 0, tt.local, tt.lport, tt.remote, tt.rport); got != want {
				t.Errorf("ISN at time 0 = %#08x, want HMAC-SHA-256 prefix %#08x", uint32(got), uint32(want))
			}
		})
	}
}

func TestISNDeterministic(t *testing.T) {
	now := 1234567 * time.Microsecond
	a := ISN(isnKey, now, isnLocal, 49152, isnRemote, 80)
	b := ISN(isnKey, now, isnLocal, 49152, isnRemote, 80)
	if a != b {
		t.Errorf("same inputs gave %#08x and %#08x", uint32(a), uint32(b))
	}
}

// TestISNInputsMatter checks that changing any one input of F changes the
// ISN. Collisions of 32-bit values are possible in principle; these fixed
// inputs have none.
func TestISNInputsMatter(t *testing.T) {
	now := 10 * time.Second
	base := ISN(isnKey, now, isnLocal, 49152, isnRemote, 80)
	variants := map[string]Seq{
		"local port":     ISN(isnKey, now, isnLocal, 49153, isnRemote, 80),
		"remote port":    ISN(isnKey, now, isnLocal, 49152, isnRemote, 81),
		"ports swapped":  ISN(isnKey, now, isnLocal, 80, isnRemote, 49152),
		"local address":  ISN(isnKey, now, netip.MustParseAddr("192.0.2.2"), 49152, isnRemote, 80),
		"remote address": ISN(isnKey, now, isnLocal, 49152, netip.MustParseAddr("198.51.100.8"), 80),
		"sides swapped":  ISN(isnKey, now, isnRemote, 80, isnLocal, 49152),
		"key":            ISN([]byte("0123456789abcdeF"), now, isnLocal, 49152, isnRemote, 80),
		"IPv6 addresses": ISN(isnKey, now, netip.MustParseAddr("2001:db8::1"), 49152, netip.MustParseAddr("2001:db8::2"), 80),
	}
	for name, v := range variants {
		if v == base {
			t.Errorf("changing the %s left the ISN at %#08x", name, uint32(base))
		}
	}
	// Many local ports: all different from each other.
	seen := make(map[Seq]uint16)
	for port := uint16(49152); port < 49152+1000; port++ {
		isn := ISN(isnKey, now, isnLocal, port, isnRemote, 80)
		if p, dup := seen[isn]; dup {
			t.Errorf("ports %d and %d give the same ISN %#08x", p, port, uint32(isn))
		}
		seen[isn] = port
	}
}

// TestISNTimer checks M: one tick per 4 microseconds, nothing in between,
// wrapping modulo 2^32.
func TestISNTimer(t *testing.T) {
	isn := func(now time.Duration) Seq { return ISN(isnKey, now, isnLocal, 49152, isnRemote, 80) }
	f := isn(0)
	tests := []struct {
		now  time.Duration
		want uint32 // M
	}{
		{0, 0},
		{time.Nanosecond, 0},
		{3999 * time.Nanosecond, 0},
		{4 * time.Microsecond, 1},
		{7 * time.Microsecond, 1},
		{8 * time.Microsecond, 2},
		{time.Millisecond, 250},
		{time.Second, 250000},
		{4 * time.Microsecond * (1 << 32), 0},   // wrapped: about 4.77 hours
		{4 * time.Microsecond * (1<<32 + 5), 5}, //
		{-time.Nanosecond, 0xffffffff},          // before the origin, still one tick per 4µs
		{-4 * time.Microsecond, 0xffffffff},     //
		{-4*time.Microsecond - 1, 0xfffffffe},   //
	}
	for _, tt := range tests {
		if got := isn(tt.now).Sub(f); uint32(got) != tt.want {
			t.Errorf("ISN(%v) - ISN(0) = %d, want M = %d", tt.now, uint32(got), tt.want)
		}
	}
	// Every 4µs step advances by exactly 1.
	for now := time.Duration(0); now < time.Millisecond; now += ISNTick {
		if d := isn(now + ISNTick).Sub(isn(now)); d != 1 {
			t.Fatalf("ISN(%v+4µs) - ISN(%v) = %d, want 1", now, now, d)
		}
	}
}

func TestISNAllocs(t *testing.T) {
	var sink Seq
	if n := testing.AllocsPerRun(100, func() {
		sink += ISN(isnKey, time.Second, isnLocal, 49152, isnRemote, 80)
	}); n != 0 {
		t.Errorf("ISN: %v allocs per run, want 0", n)
	}
	_ = sink
}

func BenchmarkISN(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = ISN(isnKey, time.Second, isnLocal, 49152, isnRemote, 80)
	}
}
