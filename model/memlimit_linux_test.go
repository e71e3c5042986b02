package model

import "testing"

func TestStatmResident(t *testing.T) {
	for in, want := range map[string]int64{
		"1234 567 89 1 0 200 0\n": 567,
		"5 0 0 0 0 0 0":           0,
		"":                        0,
	} {
		if got := statmResident([]byte(in)); got != want {
			t.Errorf("statm %q: %d resident pages, want %d", in, got, want)
		}
	}
}
