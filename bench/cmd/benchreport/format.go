package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// sig3 formats v with about three significant digits: 1.71, 21.8, 386,
// and whole numbers from 1000 up with thousands separators.
func sig3(v float64) string {
	a := math.Abs(v)
	switch {
	case v == 0:
		return "0"
	case a >= 999.5:
		return group(int64(math.Round(v)))
	case a >= 99.95:
		return fmt.Sprintf("%.0f", v)
	case a >= 9.995:
		return fmt.Sprintf("%.1f", v)
	case a >= 0.9995:
		return fmt.Sprintf("%.2f", v)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}

// group writes n with a comma between each group of three digits.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// count formats a per-op count (bytes, allocations): whole numbers with
// thousands separators, a median between two runs with its fraction.
func count(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
		return group(int64(v))
	}
	return sig3(v)
}

// duration formats nanoseconds in the unit that keeps the number short.
func duration(ns float64) string {
	switch a := math.Abs(ns); {
	case a >= 1e9:
		return sig3(ns/1e9) + " s"
	case a >= 1e6:
		return sig3(ns/1e6) + " ms"
	case a >= 1e3:
		return sig3(ns/1e3) + " µs"
	default:
		return sig3(ns) + " ns"
	}
}

// mebibytes formats a byte count in MiB.
func mebibytes(n int64) string {
	return sig3(float64(n)/(1<<20)) + " MiB"
}

// ratio formats how many times a is b: "226×", "3.4×".
func ratio(a, b float64) string {
	if b == 0 {
		return "n/a"
	}
	r := a / b
	if r >= 9.95 {
		return fmt.Sprintf("%.0f×", r)
	}
	return fmt.Sprintf("%.1f×", r)
}
