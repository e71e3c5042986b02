package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/tcptest"
)

// TestRowCoverage checks the rows line and its JSON: the total is the
// table's rows less its error rows, a world with data takes more rows
// than one without, and the interpreted table as written takes the same
// rows as the generated code.
func TestRowCoverage(t *testing.T) {
	accepting := 0
	lines := map[int]bool{}
	for _, r := range tcpfsm.Rows {
		if r.Outcome != tcpfsm.OutcomeError {
			accepting++
			lines[r.Line] = true
		}
	}
	noData := decode(t, tcpcheck(t, append([]string{"-json"}, small...)...)).Rows
	withData := decode(t, tcpcheck(t, "-json", "-data", "1", "-capacity", "2", "-quiet")).Rows
	for _, c := range []jsonRows{noData, withData} {
		if c.Total != accepting || c.Taken <= 0 || c.Taken+len(c.Untaken) != c.Total || !slices.IsSorted(c.Untaken) {
			t.Errorf("rows %+v: want %d in all, taken and untaken adding up, lines sorted", c, accepting)
		}
		for _, l := range c.Untaken {
			if !lines[l] {
				t.Errorf("untaken line %d is no accepting row of spec/tcp.fsm", l)
			}
		}
	}
	if withData.Taken <= noData.Taken {
		t.Errorf("data takes no more rows: %d with data, %d without", withData.Taken, noData.Taken)
	}

	file := tcptest.WriteFile(t, t.TempDir(), tcptest.AsWritten)
	interp := decode(t, tcpcheck(t, append([]string{"-json", "-spec", file}, small...)...)).Rows
	if interp.Taken != noData.Taken || interp.Total != noData.Total || !slices.Equal(interp.Untaken, noData.Untaken) {
		t.Errorf("interpreted table as written: rows %+v, generated %+v", interp, noData)
	}

	r := tcpcheck(t, small...)
	if !strings.Contains(r.stdout, "rows of the table taken, error rows aside") || !strings.Contains(r.stdout, "never taken: spec/tcp.fsm lines ") {
		t.Errorf("no rows line:\n%s", r.stdout)
	}
}
