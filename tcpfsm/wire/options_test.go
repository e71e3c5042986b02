package wire

// The option area: editing parsed options, iterating over them, naming
// their kinds.

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEditParsedOptions checks that changing a typed field of a parsed
// header switches to the fresh encoding, keeps unknown options, and that
// changing it back restores the received bytes.
func TestEditParsedOptions(t *testing.T) {
	h, _, err := ParseHeader(tfoSYN)
	if err != nil {
		t.Fatal(err)
	}
	h.Options.MSS = 1400
	got, err := h.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	// Fresh layout, with the cookie carried after the known options.
	want := hx(`d431 0050 | 01020304 | 00000000 | d002 faf0 | 0000 0000 |
		0204 0578 | 0402 080a | 00000001 | 00000000 | 0103 0307 |
		220a 0102 0304 0506 0708 | 0000`)
	if !bytes.Equal(got, want) {
		t.Errorf("after MSS change:\n got % x\nwant % x", got, want)
	}

	h.Options.MSS = 1460
	got, _ = h.AppendTo(nil)
	if !bytes.Equal(got, tfoSYN) {
		t.Errorf("after MSS changed back:\n got % x\nwant % x", got, tfoSYN)
	}

	h.Options.HasTimestamps = false
	h.Options.HasWScale = false
	got, _ = h.AppendTo(nil)
	want = hx(`d431 0050 | 01020304 | 00000000 | a002 faf0 | 0000 0000 |
		0204 05b4 | 0101 0402 | 220a 0102 0304 0506 0708 | 0000`)
	if !bytes.Equal(got, want) {
		t.Errorf("after dropping TS and WS:\n got % x\nwant % x", got, want)
	}

	h.Options.ClearWire()
	got, _ = h.AppendTo(nil)
	want = hx(`d431 0050 | 01020304 | 00000000 | 7002 faf0 | 0000 0000 | 0204 05b4 | 0101 0402`)
	if !bytes.Equal(got, want) {
		t.Errorf("after ClearWire:\n got % x\nwant % x", got, want)
	}

	// Duplicates: the typed field holds the last, a fresh encoding keeps it.
	dup := append(hx(`0001 0002 | 00000001 | 00000000 | 7002 ffff | 0000 0000`), hx(`0204 05b4 0204 0218`)...)
	h, _, err = ParseHeader(dup)
	if err != nil {
		t.Fatal(err)
	}
	if h.Options.MSS != 536 {
		t.Errorf("duplicate MSS: typed MSS = %d, want the last one, 536", h.Options.MSS)
	}
	h.Options.WScale, h.Options.HasWScale = 1, true
	got, _ = h.AppendTo(nil)
	want = append(hx(`0001 0002 | 00000001 | 00000000 | 7002 ffff | 0000 0000`), hx(`0204 0218 0103 0301`)...)
	if !bytes.Equal(got, want) {
		t.Errorf("duplicate MSS, fresh encoding:\n got % x\nwant % x", got, want)
	}
}

func TestOptionsAll(t *testing.T) {
	h, _, err := ParseHeader(tfoSYN)
	if err != nil {
		t.Fatal(err)
	}
	type opt struct {
		Kind OptionKind
		Data []byte
	}
	var got []opt
	for k, d := range h.Options.All() {
		got = append(got, opt{k, append([]byte(nil), d...)})
	}
	want := []opt{
		{OptMSS, hx(`05b4`)},
		{OptSACKPermitted, nil}, // empty data, copied as nil
		{OptTimestamps, hx(`00000001 00000000`)},
		{OptNOP, nil},
		{OptWindowScale, []byte{7}},
		{OptFastOpen, hx(`0102030405060708`)},
		{OptEOL, nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("All() mismatch (-want +got):\n%s", diff)
	}
	// Breaking out early stops the iteration.
	count := 0
	for range h.Options.All() {
		count++
		break
	}
	if count != 1 {
		t.Errorf("All() yielded %d options after break, want 1", count)
	}
	// Options that cannot be encoded yield nothing.
	bad := Options{NumSACK: 9}
	for k := range bad.All() {
		t.Errorf("All() on unencodable options yielded %v", k)
	}
}

func TestOptionKindString(t *testing.T) {
	tests := []struct {
		k    OptionKind
		want string
	}{
		{OptEOL, "EOL (kind 0)"},
		{OptMSS, "MSS (kind 2)"},
		{OptWindowScale, "window scale (kind 3)"},
		{OptFastOpen, "Fast Open cookie (kind 34)"},
		{OptExperiment1, "experimental (kind 253)"},
		{200, "kind 200"},
	}
	for _, tt := range tests {
		if got := tt.k.String(); got != tt.want {
			t.Errorf("OptionKind(%d).String() = %q, want %q", uint8(tt.k), got, tt.want)
		}
	}
}
