package wire

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/synfin/synfin/tcpfsm/seqnum"
)

// FuzzParseHeader feeds arbitrary bytes to ParseHeader. It must never
// panic; an error must be a *HeaderError; a header it accepts must serialise
// back to exactly the bytes it came from and parse again to the same Header;
// and after a typed field changes, the fresh encoding must parse back to the
// typed fields and keep the unknown options in order.
//
// The seed corpus is testdata/fuzz/FuzzParseHeader: headers from the
// captures in testdata/captures and malformed headers. Run with
// go test -fuzz=FuzzParseHeader ./tcpfsm/wire/
func FuzzParseHeader(f *testing.F) {
	for _, seed := range [][]byte{linuxSYN, bareACK, sackACK, tfoSYN} {
		f.Add(seed)
	}
	var into Header // reused: Parse must replace all of it
	f.Fuzz(func(t *testing.T, b []byte) {
		h, payload, err := ParseHeader(b)
		if p, errInto := into.Parse(b); into != h || len(p) != len(payload) || (errInto == nil) != (err == nil) {
			t.Fatalf("Header.Parse gives %+v, %d payload bytes, %v; ParseHeader %+v, %d, %v", into, len(p), errInto, h, len(payload), err)
		}
		if err != nil {
			var he *HeaderError
			if !errors.As(err, &he) || he.Err == nil || !strings.HasPrefix(err.Error(), "tcpfsm: ") {
				t.Fatalf("ParseHeader error %T %q is not a well-formed *HeaderError", err, err)
			}
			return
		}
		hl := len(b) - len(payload)
		if hl < MinHeaderLen || hl > MaxHeaderLen || hl%4 != 0 {
			t.Fatalf("header length %d", hl)
		}
		if len(payload) > 0 && &payload[0] != &b[hl] {
			t.Fatalf("payload does not alias the input")
		}
		if h.Len() != hl {
			t.Fatalf("Len() = %d, parsed %d header bytes", h.Len(), hl)
		}
		out, err := h.AppendTo(nil)
		if err != nil {
			t.Fatalf("AppendTo of a parsed header: %v", err)
		}
		if !bytes.Equal(out, b[:hl]) {
			t.Fatalf("round trip:\n  in % x\n out % x", b[:hl], out)
		}
		h2, p2, err := ParseHeader(out)
		if err != nil || len(p2) != 0 || h2 != h {
			t.Fatalf("re-parse: %+v, %d payload bytes, %v; want %+v", h2, len(p2), err, h)
		}

		// Change a typed field: the fresh encoding must carry the typed
		// fields and the unknown options.
		edited := h
		edited.Options.MSS++
		edited.Options.HasMSS = true
		out, err = edited.AppendTo(nil)
		if errors.Is(err, ErrOptionsTooLong) {
			return // the fresh layout's alignment NOPs may not fit where the received layout did
		}
		if err != nil {
			t.Fatalf("AppendTo after an edit: %v", err)
		}
		h3, _, err := ParseHeader(out)
		if err != nil {
			t.Fatalf("parse of the fresh encoding % x: %v", out, err)
		}
		got, want := h3.Options, edited.Options
		got.ClearWire()
		want.ClearWire()
		if got != want {
			t.Fatalf("fresh encoding parsed to %+v, want %+v", got, want)
		}
		if u, w := unknownOptions(&h3.Options), unknownOptions(&h.Options); u != w {
			t.Fatalf("unknown options after the edit: %q, want %q", u, w)
		}
	})
}

// unknownOptions lists the options without a typed field, kind and data.
func unknownOptions(o *Options) string {
	var s strings.Builder
	for k, d := range o.All() {
		if !isKnown(k) {
			s.WriteString(k.String() + "=" + string(d) + ";")
		}
	}
	return s.String()
}

// FuzzBuildHeader builds a header from typed fields, serialises it and
// parses it back: the result must be the same fields, or a serialisation
// error for options that do not fit.
func FuzzBuildHeader(f *testing.F) {
	f.Add(uint16(54321), uint16(80), uint32(1), uint32(0), uint8(FlagSYN), uint8(0), uint16(64240),
		uint16(1460), uint8(7), uint8(0x0f), uint32(1), uint32(0), uint8(0), uint32(0))
	f.Add(uint16(80), uint16(54321), uint32(0xfffffff0), uint32(2), uint8(FlagACK), uint8(ReservedAE), uint16(501),
		uint16(0), uint8(0), uint8(0x08), uint32(7), uint32(9), uint8(3), uint32(0xfffffff0))
	f.Fuzz(func(t *testing.T, sport, dport uint16, seq, ack uint32, flags, reserved uint8, window uint16,
		mss uint16, ws uint8, present uint8, tsval, tsecr uint32, nsack uint8, sackBase uint32) {
		h := Header{SrcPort: sport, DstPort: dport, Seq: seqnum.Seq(seq), Ack: seqnum.Seq(ack), Flags: Flags(flags),
			Reserved: reserved, Window: window, Checksum: uint16(seq), Urgent: uint16(ack)}
		o := &h.Options
		if present&1 != 0 {
			o.MSS, o.HasMSS = mss, true
		}
		if present&2 != 0 {
			o.WScale, o.HasWScale = ws, true
		}
		o.SACKPermitted = present&4 != 0
		if present&8 != 0 {
			o.TSVal, o.TSEcr, o.HasTimestamps = tsval, tsecr, true
		}
		o.NumSACK = nsack % 6 // 5 is out of range
		for i := range min(int(o.NumSACK), MaxSACKBlocks) {
			o.SACK[i] = SACKBlock{seqnum.Seq(sackBase).Add(uint32(2 * i)), seqnum.Seq(sackBase).Add(uint32(2*i + 1))}
		}
		out, err := h.AppendTo(nil)
		if err != nil {
			if !errors.Is(err, ErrHeaderField) && !errors.Is(err, ErrOptionsTooLong) {
				t.Fatalf("AppendTo: unexpected error %v", err)
			}
			return
		}
		if len(out) != h.Len() {
			t.Fatalf("wrote %d bytes, Len() = %d", len(out), h.Len())
		}
		back, payload, err := ParseHeader(out)
		if err != nil || len(payload) != 0 {
			t.Fatalf("ParseHeader(% x): %v, %d payload bytes", out, err, len(payload))
		}
		back.Options.ClearWire()
		if back != h {
			t.Fatalf("built %+v\nparsed back %+v", h, back)
		}
	})
}

// TestFuzzCorpus checks that the seed corpus says what its file names say:
// the malformed_* seeds are rejected and the others parse.
func TestFuzzCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzParseHeader")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatal("empty seed corpus")
	}
	for _, e := range entries {
		raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
		if len(lines) != 2 || lines[0] != "go test fuzz v1" ||
			!strings.HasPrefix(lines[1], "[]byte(") || !strings.HasSuffix(lines[1], ")") {
			t.Errorf("%s: not a one-value go test fuzz v1 file", e.Name())
			continue
		}
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")"))
		if err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		_, _, err = ParseHeader([]byte(s))
		if malformed := strings.HasPrefix(e.Name(), "malformed_"); malformed != (err != nil) {
			t.Errorf("%s: ParseHeader error = %v", e.Name(), err)
		}
	}
}
