package main

import "testing"

func TestFormat(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{sig3(0), "0"},
		{sig3(0.1878), "0.188"},
		{sig3(1.707), "1.71"},
		{sig3(9.999), "10.0"},
		{sig3(21.77), "21.8"},
		{sig3(386.2), "386"},
		{sig3(999.7), "1,000"},
		{sig3(2437949.4), "2,437,949"},
		{group(-1234567), "-1,234,567"},
		{group(123), "123"},
		{count(261), "261"},
		{count(46010928), "46,010,928"},
		{count(2.5), "2.50"},
		{duration(1.707), "1.71 ns"},
		{duration(8296), "8.30 µs"},
		{duration(281397778), "281 ms"},
		{duration(4799846683), "4.80 s"},
		{mebibytes(99469644), "94.9 MiB"},
		{ratio(476, 1.56), "305×"},
		{ratio(5, 2), "2.5×"},
		{ratio(5, 0), "n/a"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
