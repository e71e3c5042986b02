package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/synfin/synfin/model/tcpworld"
	"github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/variant"
)

// jsonRows is the table's row coverage: how many of its rows the explored
// world's steps went through, and the lines of the rows it never took.
// Error rows are left out: a segment or timer must never reach one (a
// property says so), and a user call an error row refuses without effect
// is not a step of the world. A line that declares several rows (a list
// of events) appears once per untaken row.
type jsonRows struct {
	Taken   int   `json:"taken"`
	Total   int   `json:"total"`
	Untaken []int `json:"untaken_lines"` // line numbers in the table's file
}

// rowCoverage reads what sys has taken of table, the generated table if
// nil. Call it before anything else steps sys (replaying a
// counterexample takes rows too, though only rows the search took).
func rowCoverage(sys *tcpworld.System, table *tcpfsm.Table) jsonRows {
	var lines []int // per row, its line; 0 for an error row
	if table == nil {
		for _, r := range tcpfsm.Rows {
			lines = append(lines, cond(r.Outcome != tcpfsm.OutcomeError, r.Line))
		}
	} else {
		for _, r := range variant.Machine(table).Rows {
			lines = append(lines, cond(r.Outcome.Accepts(), r.Pos.Line))
		}
	}
	taken := sys.RowsTaken()
	c := jsonRows{Untaken: []int{}}
	for i, line := range lines {
		if line == 0 {
			continue
		}
		c.Total++
		if _, ok := slices.BinarySearch(taken, i); ok {
			c.Taken++
		} else {
			c.Untaken = append(c.Untaken, line)
		}
	}
	return c
}

// cond returns line if ok, else 0.
func cond(ok bool, line int) int {
	if ok {
		return line
	}
	return 0
}

// writeRows writes the coverage line, and the untaken rows' lines after
// it.
func writeRows(w io.Writer, c jsonRows, file string) {
	if c.Total == 0 {
		return
	}
	fmt.Fprintf(w, "rows:        %d of %d rows of the table taken, error rows aside (%.0f%%)\n", c.Taken, c.Total, 100*float64(c.Taken)/float64(c.Total))
	if len(c.Untaken) == 0 {
		return
	}
	var nums []string
	for i := 0; i < len(c.Untaken); {
		j := i + 1
		for j < len(c.Untaken) && c.Untaken[j] == c.Untaken[i] {
			j++
		}
		if j-i > 1 {
			nums = append(nums, fmt.Sprintf("%d (%d rows)", c.Untaken[i], j-i))
		} else {
			nums = append(nums, fmt.Sprint(c.Untaken[i]))
		}
		i = j
	}
	fmt.Fprintf(w, "             never taken: %s lines %s\n", file, strings.Join(nums, ", "))
}
