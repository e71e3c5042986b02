package wire

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// hx decodes hex test data written with spaces and "|" between groups.
func hx(s string) []byte {
	s = strings.NewReplacer(" ", "", "|", "", "\n", "", "\t", "").Replace(s)
	b, err := hex.DecodeString(s)
	if err != nil {
		panic("bad hex in test data: " + err.Error())
	}
	return b
}

// Headers used across the tests. Layout of the fixed part:
// sport dport | seq | ack | off/rsv flags window | checksum urgent.
var (
	// A Linux SYN: MSS 1460, SACK-permitted + timestamps, NOP + window
	// scale 7; data offset 10.
	linuxSYN = hx(`d431 0050 | 01020304 | 00000000 | a002 faf0 | 1234 0000 |
		0204 05b4 | 0402 080a | 00000001 | 00000000 | 0103 0307`)
	// A bare ACK: data offset 5, no options.
	bareACK = hx(`0050 d431 | 0000a000 | 01020305 | 5010 01f5 | beef 0000`)
	// An ACK with NOP NOP timestamps and NOP NOP SACK(2 blocks).
	sackACK = hx(`0050 d431 | 0000a000 | 01020305 | d010 01f5 | 0000 0000 |
		0101 080a | 11111111 | 22222222 |
		0101 0512 | 00001000 | 00002000 | 00003000 | 00004000`)
	// A TFO SYN: MSS, SACK-permitted, TS, NOP, WS, then a Fast Open cookie
	// (kind 34, length 10) and EOL padding.
	tfoSYN = hx(`d431 0050 | 01020304 | 00000000 | d002 faf0 | 0000 0000 |
		0204 05b4 | 0402 080a | 00000001 | 00000000 | 0103 0307 |
		220a 0102 0304 0506 0708 | 0000`)
)

func TestFlagsString(t *testing.T) {
	tests := []struct {
		f    Flags
		want string
	}{
		{0, "none"},
		{FlagSYN, "SYN"},
		{FlagSYN | FlagACK, "SYN|ACK"},
		{FlagFIN | FlagACK, "FIN|ACK"},
		{FlagFIN | FlagPSH | FlagACK, "FIN|PSH|ACK"},
		{FlagRST | FlagACK, "RST|ACK"},
		{FlagSYN | FlagECE | FlagCWR, "SYN|ECE|CWR"},
		{0xff, "FIN|SYN|RST|PSH|ACK|URG|ECE|CWR"},
		{FlagURG, "URG"},
	}
	for _, tt := range tests {
		if got := tt.f.String(); got != tt.want {
			t.Errorf("Flags(%#02x).String() = %q, want %q", uint8(tt.f), got, tt.want)
		}
	}
	if got := [8]Flags{FlagFIN, FlagSYN, FlagRST, FlagPSH, FlagACK, FlagURG, FlagECE, FlagCWR}; got != [8]Flags{1, 2, 4, 8, 16, 32, 64, 128} {
		t.Errorf("flag constants = %v, want the bits of RFC 9293 section 3.1 in order", got)
	}
	if !(FlagSYN | FlagACK).Has(FlagACK) || (FlagSYN).Has(FlagSYN|FlagACK) {
		t.Errorf("Flags.Has is wrong")
	}
}

func TestParseHeader(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		want    Header // Options compared by their typed fields only
		payload int    // payload length
	}{
		{
			name: "linux SYN",
			in:   linuxSYN,
			want: Header{SrcPort: 54321, DstPort: 80, Seq: 0x01020304, Flags: FlagSYN, Window: 64240, Checksum: 0x1234,
				Options: Options{MSS: 1460, HasMSS: true, SACKPermitted: true, TSVal: 1, HasTimestamps: true, WScale: 7, HasWScale: true}},
		},
		{
			name: "bare ACK with payload",
			in:   append(append([]byte(nil), bareACK...), "hello"...),
			want: Header{SrcPort: 80, DstPort: 54321, Seq: 0xa000, Ack: 0x01020305, Flags: FlagACK, Window: 501, Checksum: 0xbeef},
			// payload "hello"
			payload: 5,
		},
		{
			name: "SACK and timestamps",
			in:   sackACK,
			want: Header{SrcPort: 80, DstPort: 54321, Seq: 0xa000, Ack: 0x01020305, Flags: FlagACK, Window: 501,
				Options: Options{TSVal: 0x11111111, TSEcr: 0x22222222, HasTimestamps: true,
					SACK: [4]SACKBlock{{0x1000, 0x2000}, {0x3000, 0x4000}}, NumSACK: 2}},
		},
		{
			name: "reserved bits and AE kept",
			in:   hx(`0001 0002 | ffffffff | fffffffe | 5f14 0000 | 0000 0000`),
			want: Header{SrcPort: 1, DstPort: 2, Seq: 0xffffffff, Ack: 0xfffffffe, Reserved: 0xf, Flags: FlagRST | FlagACK},
		},
		{
			name: "urgent pointer",
			in:   hx(`0001 0002 | 00000001 | 00000002 | 5038 1000 | 0000 0007 | 41`),
			want: Header{SrcPort: 1, DstPort: 2, Seq: 1, Ack: 2, Flags: FlagURG | FlagPSH | FlagACK, Window: 4096, Urgent: 7},
			// one byte of payload
			payload: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, payload, err := ParseHeader(tt.in)
			if err != nil {
				t.Fatalf("ParseHeader: %v", err)
			}
			got := h
			got.Options.ClearWire()
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(Options{})); diff != "" {
				t.Errorf("ParseHeader mismatch (-want +got):\n%s", diff)
			}
			if len(payload) != tt.payload {
				t.Errorf("payload length = %d, want %d", len(payload), tt.payload)
			}
			if hl := len(tt.in) - tt.payload; len(payload) > 0 && &payload[0] != &tt.in[hl] {
				t.Errorf("payload does not alias the input at byte %d", hl)
			}
			if h.DataOffset()*4 != len(tt.in)-tt.payload || h.Len() != len(tt.in)-tt.payload {
				t.Errorf("DataOffset() = %d, Len() = %d, want header length %d", h.DataOffset(), h.Len(), len(tt.in)-tt.payload)
			}
			out, err := h.AppendTo(nil)
			if err != nil {
				t.Fatalf("AppendTo: %v", err)
			}
			if !bytes.Equal(out, tt.in[:len(tt.in)-tt.payload]) {
				t.Errorf("AppendTo = % x\nwant       % x", out, tt.in[:len(tt.in)-tt.payload])
			}
		})
	}
}

// fixedHeader returns a 20-byte fixed header with the given data offset.
func fixedHeader(words int) []byte {
	return hx(`0001 0002 | 00000001 | 00000000 | ` + hex.EncodeToString([]byte{byte(words << 4)}) + `02 ffff | 0000 0000`)
}

// withOptions returns a header whose option area is opts (a multiple of 4).
func withOptions(opts string) []byte {
	o := hx(opts)
	return append(fixedHeader(5+len(o)/4), o...)
}

// parseHeaderErrorTests are the malformed headers of TestParseHeaderErrors:
// the sentinel, the message, and the option kind and offset at fault.
var parseHeaderErrorTests = []struct {
	name   string
	in     []byte
	err    error
	msg    string
	kind   OptionKind
	offset int
}{
	{"empty", nil, ErrHeaderTruncated,
		"tcpfsm: truncated TCP header: want at least 20 bytes, got 0 bytes", 0, -1},
	{"19 bytes", fixedHeader(5)[:19], ErrHeaderTruncated,
		"tcpfsm: truncated TCP header: want at least 20 bytes, got 19 bytes", 0, -1},
	{"data offset 0", fixedHeader(0), ErrBadDataOffset,
		"tcpfsm: bad TCP data offset at byte 12: want 5 to 15 (20 to 60 bytes), got 0", 0, 12},
	{"data offset 4", fixedHeader(4), ErrBadDataOffset,
		"tcpfsm: bad TCP data offset at byte 12: want 5 to 15 (20 to 60 bytes), got 4", 0, 12},
	{"data offset beyond buffer", fixedHeader(8), ErrHeaderTruncated,
		"tcpfsm: truncated TCP header: want 32 bytes (data offset 8), got 20 bytes", 0, -1},
	{"data offset 15 beyond buffer", append(fixedHeader(15), make([]byte, 39)...), ErrHeaderTruncated,
		"tcpfsm: truncated TCP header: want 60 bytes (data offset 15), got 59 bytes", 0, -1},
	{"kind without length byte", withOptions(`01010102`), ErrOptionTruncated,
		"tcpfsm: truncated TCP option, MSS (kind 2), at byte 23: want a length byte, got the end of the 4-byte option area", OptMSS, 23},
	{"unknown kind without length byte", withOptions(`010101fe`), ErrOptionTruncated,
		"tcpfsm: truncated TCP option, experimental (kind 254), at byte 23: want a length byte, got the end of the 4-byte option area", OptExperiment2, 23},
	{"length 0", withOptions(`22000000`), ErrBadOptionLength,
		"tcpfsm: bad TCP option length, Fast Open cookie (kind 34), at byte 20: want at least 2 (the kind and length bytes), got 0", OptFastOpen, 20},
	{"length 1", withOptions(`0101 4d01`), ErrBadOptionLength,
		"tcpfsm: bad TCP option length, kind 77, at byte 22: want at least 2 (the kind and length bytes), got 1", 77, 22},
	{"length beyond area", withOptions(`1312 0000 0000 0000`), ErrOptionTruncated,
		"tcpfsm: truncated TCP option, MD5 signature (kind 19), at byte 20: want length 18 to fit, got 8 bytes left in the option area", OptMD5, 20},
	{"MSS length 6", withOptions(`0206 05b4 0000 0000`), ErrBadOptionLength,
		"tcpfsm: bad TCP option length, MSS (kind 2), at byte 20: want 4, got 6", OptMSS, 20},
	{"MSS length 3", withOptions(`0203 0500`), ErrBadOptionLength,
		"tcpfsm: bad TCP option length, MSS (kind 2), at byte 20: want 4, got 3", OptMSS, 20},
	{"window scale length 4", withOptions(`0304 0700`), ErrBadOptionLength,
		"tcpfsm: bad TCP option length, window scale (kind 3), at byte 20: want 3, got 4", OptWindowScale, 20},
	{"SACK-permitted length 3", withOptions(`0101 0403 0000 0000`), ErrBadOptionLength,
		"tcpfsm: bad TCP option length, SACK-permitted (kind 4), at byte 22: want 2, got 3", OptSACKPermitted, 22},
	{"timestamps length 8", withOptions(`0101 0808 00000001 0000`), ErrBadOptionLength,
		"tcpfsm: bad TCP option length, timestamps (kind 8), at byte 22: want 10, got 8", OptTimestamps, 22},
	{"SACK length 2", withOptions(`0101 0502`), ErrBadOptionLength,
		"tcpfsm: bad TCP option length, SACK (kind 5), at byte 22: want 10, 18, 26 or 34 (2+8n for n = 1 to 4 blocks), got 2", OptSACK, 22},
	{"SACK length 12", withOptions(`0101 050c 00000001 00000002 0000 0000`), ErrBadOptionLength,
		"tcpfsm: bad TCP option length, SACK (kind 5), at byte 22: want 10, 18, 26 or 34 (2+8n for n = 1 to 4 blocks), got 12", OptSACK, 22},
	{"SACK 5 blocks", withOptions(`052a` + strings.Repeat("00", 38)), ErrBadOptionLength,
		"tcpfsm: bad TCP option length, SACK (kind 5), at byte 20: want 10, 18, 26 or 34 (2+8n for n = 1 to 4 blocks), got 42", OptSACK, 20},
	{"SACK truncated", withOptions(`0101 0512 00000001 00000002`), ErrOptionTruncated,
		"tcpfsm: truncated TCP option, SACK (kind 5), at byte 22: want length 18 to fit, got 10 bytes left in the option area", OptSACK, 22},
	{"bad option after a good one", withOptions(`0204 05b4 0302 0000`), ErrBadOptionLength,
		"tcpfsm: bad TCP option length, window scale (kind 3), at byte 24: want 3, got 2", OptWindowScale, 24},
	{"option area cut by the buffer", linuxSYN[:30], ErrHeaderTruncated,
		"tcpfsm: truncated TCP header: want 40 bytes (data offset 10), got 30 bytes", 0, -1},
}

// TestParseHeaderErrors checks every way a header can be malformed: the
// sentinel, and the full message saying what was expected and what was found.
func TestParseHeaderErrors(t *testing.T) {
	for _, tt := range parseHeaderErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			h, payload, err := ParseHeader(tt.in)
			if err == nil {
				t.Fatalf("ParseHeader(% x) = %+v, nil error; want %v", tt.in, h, tt.err)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("error %v is not %v", err, tt.err)
			}
			if err.Error() != tt.msg {
				t.Errorf("message:\n got %q\nwant %q", err.Error(), tt.msg)
			}
			var he *HeaderError
			if !errors.As(err, &he) {
				t.Fatalf("error %T is not a *HeaderError", err)
			}
			if he.Offset != tt.offset || he.Kind != tt.kind {
				t.Errorf("HeaderError Offset, Kind = %d, %v; want %d, %v", he.Offset, he.Kind, tt.offset, tt.kind)
			}
			if h != (Header{}) || payload != nil {
				t.Errorf("on error got header %+v, payload %q; want zero values", h, payload)
			}
		})
	}
}

// TestRoundTripExact parses headers whose option areas are laid out in ways
// a fresh encoding would not reproduce, and checks that serialising gives
// back the same bytes.
func TestRoundTripExact(t *testing.T) {
	opts := map[string]string{
		"none":                        ``,
		"linux SYN":                   `0204 05b4 0402 080a 00000001 00000000 0103 0307`,
		"windows SYN":                 `0204 05b4 0103 0308 0101 0402`,
		"BSD SYN":                     `0204 05b4 0103 0306 0101 080a 00000001 00000000 0402 0000`,
		"MSS alone":                   `0204 0218`,
		"NOPs only":                   `0101 0101`,
		"EOL then garbage padding":    `0204 05b4 00ff ffff`,
		"EOL first":                   `0000 0000`,
		"TFO cookie":                  `0204 05b4 0402 080a 00000001 00000000 0103 0307 220a 0102030405060708 0000`,
		"TFO cookie request":          `0204 05b4 0402 080a 00000001 00000000 0103 0307 2202 0101`,
		"MD5 signature":               `1312 00112233445566778899aabbccddeeff 0000`,
		"experimental 253 and 254":    `fd04 f989 fe06 abcd 0102 0000`,
		"unknown kind 77, odd length": `4d05 0102 0301 0101`,
		"duplicate MSS":               `0204 05b4 0204 0218`,
		"timestamps first":            `080a 00000001 00000002 0101 0402 0000`,
		"SACK 4 blocks":               `0101 0522 00000001 00000002 00000003 00000004 00000005 00000006 00000007 00000008`,
		"SACK 3 blocks + TS":          `0101 080a 00000001 00000002 0101 051a 00000001 00000002 00000003 00000004 00000005 00000006`,
		"window scale 15":             `0103 030f`,
		"SACK-permitted, no NOPs":     `0402 0000`,
		"zero-length data option 4d":  `4d02 0000`,
		"full 40 bytes of NOPs":       strings.Repeat("01", 40),
	}
	for name, o := range opts {
		t.Run(name, func(t *testing.T) {
			area := hx(o)
			if len(area)%4 != 0 {
				t.Fatalf("bad test: option area of %d bytes", len(area))
			}
			in := append(hx(`1f90 c350 | 7fffffff | 80000000 | 0012 ffff | abcd 0000`), area...)
			in[12] |= byte(5+len(area)/4) << 4
			h, payload, err := ParseHeader(in)
			if err != nil {
				t.Fatalf("ParseHeader: %v", err)
			}
			if len(payload) != 0 {
				t.Errorf("payload = % x, want none", payload)
			}
			buf := make([]byte, MaxHeaderLen)
			n, err := h.MarshalTo(buf)
			if err != nil {
				t.Fatalf("MarshalTo: %v", err)
			}
			if diff := cmp.Diff(in, buf[:n]); diff != "" {
				t.Errorf("round trip mismatch (-parsed +serialised):\n%s", diff)
			}
		})
	}
}

// TestBuildHeader builds headers from typed fields and checks the exact
// bytes of the fresh encoding, then parses them back.
func TestBuildHeader(t *testing.T) {
	base := Header{SrcPort: 54321, DstPort: 80, Seq: 0x01020304, Flags: FlagSYN, Window: 64240, Checksum: 0x1234}
	tests := []struct {
		name string
		opts Options
		want string // option area
	}{
		{"no options", Options{}, ``},
		{"MSS", Options{MSS: 1460, HasMSS: true}, `0204 05b4`},
		{"linux SYN", Options{MSS: 1460, HasMSS: true, SACKPermitted: true, TSVal: 1, HasTimestamps: true, WScale: 7, HasWScale: true},
			`0204 05b4 0402 080a 00000001 00000000 0103 0307`},
		{"SACK-permitted alone", Options{SACKPermitted: true}, `0101 0402`},
		{"timestamps alone", Options{TSVal: 0xdeadbeef, TSEcr: 0xfeedface, HasTimestamps: true}, `0101 080a deadbeef feedface`},
		{"window scale alone", Options{WScale: 14, HasWScale: true}, `0103 030e`},
		{"MSS, window scale, SACK-permitted", Options{MSS: 536, HasMSS: true, WScale: 0, HasWScale: true, SACKPermitted: true},
			`0204 0218 0101 0402 0103 0300`},
		{"one SACK block", Options{SACK: [4]SACKBlock{{0xfffffff0, 0x10}}, NumSACK: 1},
			`0101 050a fffffff0 00000010`},
		{"TS and 3 SACK blocks fill 40 bytes", Options{TSVal: 5, TSEcr: 6, HasTimestamps: true,
			SACK: [4]SACKBlock{{1, 2}, {3, 4}, {5, 6}}, NumSACK: 3},
			`0101 080a 00000005 00000006 0101 051a 00000001 00000002 00000003 00000004 00000005 00000006`},
		{"4 SACK blocks", Options{SACK: [4]SACKBlock{{1, 2}, {3, 4}, {5, 6}, {7, 8}}, NumSACK: 4},
			`0101 0522 00000001 00000002 00000003 00000004 00000005 00000006 00000007 00000008`},
		{"values without Has flags are ignored", Options{MSS: 1460, WScale: 3, TSVal: 9}, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := base
			h.Options = tt.opts
			want := hx(`d431 0050 | 01020304 | 00000000 | 0002 faf0 | 1234 0000 |` + tt.want)
			want[12] = byte(len(want)/4) << 4
			if h.Len() != len(want) || h.DataOffset() != len(want)/4 {
				t.Errorf("Len(), DataOffset() = %d, %d; want %d, %d", h.Len(), h.DataOffset(), len(want), len(want)/4)
			}
			got, err := h.AppendTo(make([]byte, 0, MaxHeaderLen))
			if err != nil {
				t.Fatalf("AppendTo: %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("AppendTo:\n got % x\nwant % x", got, want)
			}
			back, _, err := ParseHeader(got)
			if err != nil {
				t.Fatalf("ParseHeader of our own output: %v", err)
			}
			wantOpts := tt.opts
			if !wantOpts.HasMSS {
				wantOpts.MSS = 0
			}
			if !wantOpts.HasWScale {
				wantOpts.WScale = 0
			}
			if !wantOpts.HasTimestamps {
				wantOpts.TSVal, wantOpts.TSEcr = 0, 0
			}
			back.Options.ClearWire()
			if back.Options != wantOpts {
				t.Errorf("parsed back options = %+v, want %+v", back.Options, wantOpts)
			}
		})
	}
}

func TestMarshalErrors(t *testing.T) {
	tests := []struct {
		name string
		h    Header
		buf  int
		err  error
		msg  string
	}{
		{"reserved above 15", Header{Reserved: 0x10}, 60, ErrHeaderField,
			"tcpfsm: TCP header field out of range, Reserved, at byte 12: want 0 to 15 (4 bits), got 16"},
		{"5 SACK blocks", Header{Options: Options{NumSACK: 5}}, 60, ErrHeaderField,
			"tcpfsm: TCP header field out of range, NumSACK: want 0 to 4 SACK blocks, got 5"},
		{"TS and 4 SACK blocks", Header{Options: Options{HasTimestamps: true, NumSACK: 4}}, 60, ErrOptionsTooLong,
			"tcpfsm: TCP options too long: want at most 40 bytes, got 48 bytes"},
		{"everything", Header{Options: Options{HasMSS: true, HasWScale: true, SACKPermitted: true, HasTimestamps: true, NumSACK: 3}}, 60, ErrOptionsTooLong,
			"tcpfsm: TCP options too long: want at most 40 bytes, got 48 bytes"},
		{"buffer too small", Header{}, 19, ErrBufferTooSmall,
			"tcpfsm: buffer too small for TCP header: want 20 bytes, got 19 bytes"},
		{"buffer too small for options", Header{Options: Options{HasMSS: true}}, 20, ErrBufferTooSmall,
			"tcpfsm: buffer too small for TCP header: want 24 bytes, got 20 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf := make([]byte, tt.buf)
			n, err := tt.h.MarshalTo(buf)
			if !errors.Is(err, tt.err) {
				t.Fatalf("MarshalTo = %d, %v; want error %v", n, err, tt.err)
			}
			if err.Error() != tt.msg {
				t.Errorf("message:\n got %q\nwant %q", err.Error(), tt.msg)
			}
			if n != 0 || !bytes.Equal(buf, make([]byte, tt.buf)) {
				t.Errorf("MarshalTo wrote %d bytes on error", n)
			}
			if tt.err != ErrBufferTooSmall {
				b := []byte("prefix")
				got, err := tt.h.AppendTo(b)
				if !errors.Is(err, tt.err) || string(got) != "prefix" {
					t.Errorf("AppendTo = %q, %v; want %q, %v", got, err, "prefix", tt.err)
				}
			}
		})
	}
}

// TestHeaderAllocs asserts that parsing and serialising into a buffer with
// room allocate nothing.
func TestHeaderAllocs(t *testing.T) {
	buf := make([]byte, 0, MaxHeaderLen)
	var sink int
	for _, in := range [][]byte{bareACK, linuxSYN, sackACK, tfoSYN} {
		h, _, err := ParseHeader(in)
		if err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(100, func() {
			h2, p, _ := ParseHeader(in)
			sink += int(h2.Window) + len(p)
		}); n != 0 {
			t.Errorf("ParseHeader(% x): %v allocs per run, want 0", in[:20], n)
		}
		var into Header
		if n := testing.AllocsPerRun(100, func() {
			p, _ := into.Parse(in)
			sink += int(into.Window) + len(p)
		}); n != 0 {
			t.Errorf("Header.Parse(% x): %v allocs per run, want 0", in[:20], n)
		}
		if n := testing.AllocsPerRun(100, func() {
			m, _ := h.MarshalTo(buf[:MaxHeaderLen])
			sink += m
		}); n != 0 {
			t.Errorf("MarshalTo: %v allocs per run, want 0", n)
		}
		if n := testing.AllocsPerRun(100, func() {
			b, _ := h.AppendTo(buf[:0])
			sink += len(b)
		}); n != 0 {
			t.Errorf("AppendTo with capacity: %v allocs per run, want 0", n)
		}
		// The fresh encoding, too.
		fresh := h
		fresh.Options.ClearWire()
		if n := testing.AllocsPerRun(100, func() {
			b, _ := fresh.AppendTo(buf[:0])
			sink += len(b)
		}); n != 0 {
			t.Errorf("AppendTo, fresh encoding: %v allocs per run, want 0", n)
		}
	}
	_ = sink
}

func BenchmarkParseHeader(b *testing.B) {
	for _, bc := range []struct {
		name string
		in   []byte
	}{{"bare", bareACK}, {"SYN options", linuxSYN}, {"SACK", sackACK}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.in)))
			for b.Loop() {
				if _, _, err := ParseHeader(bc.in); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bc.name+" into", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.in)))
			var h Header
			for b.Loop() {
				if _, err := h.Parse(bc.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestHeaderParseInto: Header.Parse into a Header that held another header
// (options, SACK blocks) gives exactly what ParseHeader gives, and a failed
// Parse leaves the Header zero.
func TestHeaderParseInto(t *testing.T) {
	inputs := [][]byte{sackACK, bareACK, linuxSYN, tfoSYN, bareACK[:10], sackACK, {}}
	var h Header
	for i, in := range inputs {
		want, wantPayload, wantErr := ParseHeader(in)
		payload, err := h.Parse(in)
		if h != want || len(payload) != len(wantPayload) || (err == nil) != (wantErr == nil) {
			t.Errorf("input %d: Parse gives %+v, %d payload bytes, %v; ParseHeader %+v, %d, %v",
				i, h, len(payload), err, want, len(wantPayload), wantErr)
		}
		if err != nil && h != (Header{}) {
			t.Errorf("input %d: failed Parse leaves %+v", i, h)
		}
	}
}

func BenchmarkMarshalHeader(b *testing.B) {
	syn, _, _ := ParseHeader(linuxSYN)
	fresh := syn
	fresh.Options.ClearWire()
	bare, _, _ := ParseHeader(bareACK)
	buf := make([]byte, MaxHeaderLen)
	for _, bc := range []struct {
		name string
		h    Header
	}{{"bare", bare}, {"SYN options as received", syn}, {"SYN options fresh", fresh}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(bc.h.Len()))
			for b.Loop() {
				if _, err := bc.h.MarshalTo(buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
