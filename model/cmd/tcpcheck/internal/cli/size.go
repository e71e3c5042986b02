package cli

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// sizeUnits are the suffixes of a size, longest first: binary (KiB, MiB,
// ...) and decimal (K or KB, M or MB, ...), in any case.
var sizeUnits = []struct {
	suffix string
	bytes  float64
}{
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
	{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
	{"k", 1e3}, {"m", 1e6}, {"g", 1e9}, {"t", 1e12},
	{"b", 1},
}

// sizeWanted is what a size looks like, for errors and help.
const sizeWanted = "a size such as 1GiB, 512MiB or 2G"

// ParseSize reads a number of bytes: "0", "1048576", "512MiB", "1.5GiB",
// "2G" (10^9), "2GB". It rejects a negative size, a size of more than 2^62
// bytes and any other text.
func ParseSize(text string) (int64, error) {
	s := strings.ToLower(strings.TrimSpace(text))
	mult := 1.0
	for _, u := range sizeUnits {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(num), u.bytes
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || s == "" || strings.ContainsAny(s, "xXpP_") || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q: want %s", text, sizeWanted)
	}
	n := f * mult
	if n < 0 || n > 1<<62 {
		return 0, fmt.Errorf("%q out of range: want 0 to 4EiB", text)
	}
	return int64(n), nil
}

// SizeText writes a number of bytes as ParseSize reads it, in the largest
// binary unit that keeps it short: "200MiB", "1.5GiB", "512B".
func SizeText(n int64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB"}
	v, i := float64(n), 0
	for v >= 1024 && i < len(units)-1 {
		v, i = v/1024, i+1
	}
	if v == math.Trunc(v) || i == 0 {
		return fmt.Sprintf("%d%s", int64(v), units[i])
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + units[i]
}
