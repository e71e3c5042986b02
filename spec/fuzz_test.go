package spec

import (
	"errors"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the parser. It must never panic; a
// failure must be an ErrorList whose every entry has a position; a success
// must be a machine whose interpreter stays inside its own states.
func FuzzParse(f *testing.F) {
	// The seed corpus is testdata/fuzz/FuzzParse: valid tables, each error
	// class of TestErrors, and odd bytes.
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := Parse("fuzz.fsm", src)
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %v (%T) is not a non-empty ErrorList", err, err)
			}
			for _, e := range list {
				if e.Pos.File != "fuzz.fsm" || e.Pos.Line < 1 || e.Pos.Col < 1 {
					t.Fatalf("error without a position: %q", e.Error())
				}
			}
			return
		}
		for s := range m.States {
			for e := range m.Events {
				for _, g := range []uint64{0, ^uint64(0), 0x5555555555555555} {
					next, _, _ := m.Step(s, e, g)
					if next < 0 || next >= len(m.States) {
						t.Fatalf("Step(%d, %d, %x) = %d, outside the %d states", s, e, g, next, len(m.States))
					}
					if m.Match(s, e, g) < 0 {
						t.Fatalf("valid machine has no row for state %d event %d guards %x", s, e, g)
					}
				}
			}
		}
	})
}
