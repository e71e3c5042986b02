package cli

import (
	"io"
	"strings"
	"testing"
)

var sizeCases = []struct {
	text string
	want int64
	err  string // "" for none
}{
	{"0", 0, ""},
	{"1048576", 1 << 20, ""},
	{"512MiB", 512 << 20, ""},
	{"1GiB", 1 << 30, ""},
	{"1.5GiB", 3 << 29, ""},
	{"64KiB", 64 << 10, ""},
	{"2TiB", 2 << 40, ""},
	{"2G", 2e9, ""},
	{"2GB", 2e9, ""},
	{"2gb", 2e9, ""},
	{"300M", 300e6, ""},
	{"7 GiB", 7 << 30, ""},
	{"100B", 100, ""},
	{"", 0, "want a size"},
	{"lots", 0, "want a size"},
	{"GiB", 0, "want a size"},
	{"1XiB", 0, "want a size"},
	{"0x10", 0, "want a size"},
	{"inf", 0, "want a size"},
	{"NaN", 0, "want a size"},
	{"1_000", 0, "want a size"},
	{"-1GiB", 0, "out of range"},
	{"8EiB", 0, "want a size"},
	{"5000000TiB", 0, "out of range"},
}

func TestParseSize(t *testing.T) {
	for _, tc := range sizeCases {
		got, err := ParseSize(tc.text)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("ParseSize(%q) = %d, %v; want %d", tc.text, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), tc.text)):
			t.Errorf("ParseSize(%q) = %d, %v; want an error with %q", tc.text, got, err, tc.err)
		}
	}
}

func TestSizeText(t *testing.T) {
	for n, want := range map[int64]string{0: "0B", 512: "512B", 200 << 20: "200MiB", 3 << 29: "1.5GiB", 7 << 30: "7GiB", 1 << 40: "1TiB"} {
		if got := SizeText(n); got != want {
			t.Errorf("SizeText(%d) = %q, want %q", n, got, want)
		}
		if back, err := ParseSize(SizeText(n)); err != nil || back != n {
			t.Errorf("ParseSize(SizeText(%d)) = %d, %v", n, back, err)
		}
	}
}

// TestParseMaxMemory: -max-memory is given in bytes, 0 is a limit of its
// own (none), and without the flag the default applies.
func TestParseMaxMemory(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		bytes int64
		given bool
	}{
		{nil, 0, false},
		{[]string{"-max-memory", "0"}, 0, true},
		{[]string{"-max-memory", "200MiB"}, 200 << 20, true},
	} {
		o, err := Parse(tc.args, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if o.MaxMemory != tc.bytes || o.MemoryGiven != tc.given {
			t.Errorf("%q: %d bytes, given %v", tc.args, o.MaxMemory, o.MemoryGiven)
		}
	}
}
