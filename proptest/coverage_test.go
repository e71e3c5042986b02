package proptest

// Row coverage: the Endpoint properties record every table step their
// Endpoints take (Output.Step), and TestEndpointProperties requires that
// together they step through every row of spec/tcp.fsm that an Endpoint
// can reach.
//
// Which rows can be reached is read off the table, not listed here. The
// table marks a pair that the Endpoint never produces with an error row
// without actions ("An error row marks a pair that cannot happen";
// tcpfsm's conformance tests prove each one unreachable by construction);
// an error row with an action answers a user call that the RFC refuses
// (err-exists, err-closing, ...), which a user can always make. So a row
// is reachable unless it is an error row without actions.

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	. "github.com/synfin/synfin/tcpfsm"
)

// coverage counts the table steps of a property's Endpoints. It is safe
// for concurrent use.
type coverage struct {
	mu    sync.Mutex
	rows  [len(Rows)]int
	pairs map[rowState]int
}

// rowState is a row stepped through from one of its states.
type rowState struct {
	row   int
	state State
}

func newCoverage() *coverage { return &coverage{pairs: map[rowState]int{}} }

// record counts one step; a step of a variant table (a row index of
// another machine) is not counted.
func (c *coverage) record(st StepInfo) {
	if c == nil || !st.Taken || st.Row < 0 || st.Row >= len(Rows) {
		return
	}
	c.mu.Lock()
	c.rows[st.Row]++
	c.pairs[rowState{st.Row, st.From}]++
	c.mu.Unlock()
}

// reachable reports whether row r can be stepped through by an Endpoint.
func reachable(r *Row) bool {
	return r.Outcome != OutcomeError || r.Actions != 0
}

// summary describes the coverage of rows and of (row, state) pairs.
func (c *coverage) summary(name string) string {
	rows, rowsOf, pairs, pairsOf := 0, 0, 0, 0
	for i := range Rows {
		r := &Rows[i]
		if !reachable(r) {
			continue
		}
		rowsOf++
		if c.rows[i] > 0 {
			rows++
		}
		for _, s := range r.From {
			pairsOf++
			if c.pairs[rowState{i, s}] > 0 {
				pairs++
			}
		}
	}
	return fmt.Sprintf("%-22s rows %3d of %d reachable (%.0f%%), (row, state) pairs %3d of %d (%.0f%%)",
		name+":", rows, rowsOf, 100*float64(rows)/float64(rowsOf), pairs, pairsOf, 100*float64(pairs)/float64(pairsOf))
}

// merge returns the union of cs.
func merge(cs ...*coverage) *coverage {
	u := newCoverage()
	for _, c := range cs {
		for i, n := range c.rows {
			u.rows[i] += n
		}
		for p, n := range c.pairs {
			u.pairs[p] += n
		}
	}
	return u
}

// missing lists the reachable rows that c never stepped through.
func (c *coverage) missing() []string {
	var out []string
	for i := range Rows {
		r := &Rows[i]
		if reachable(r) && c.rows[i] == 0 {
			var from []string
			for _, s := range r.From {
				from = append(from, s.String())
			}
			out = append(out, fmt.Sprintf("tcp.fsm:%d %s %v %v (%s)", r.Line, strings.Join(from, ","), r.Event, r.Outcome, r.Ref))
		}
	}
	slices.Sort(out)
	return out
}

// TestReachableRows checks the rule that decides reachability against
// what the rows mean: the error rows it calls unreachable are segment or
// timer events, which the Endpoint must never refuse, and the error rows
// it keeps are user calls that answer an error; and there are some of
// each, so the rule is not vacuous.
func TestReachableRows(t *testing.T) {
	unreach, answers := 0, 0
	for i := range Rows {
		r := &Rows[i]
		user := r.Event.Kind() == KindCall
		switch {
		case r.Outcome != OutcomeError:
		case !reachable(r):
			unreach++
			if user {
				t.Errorf("tcp.fsm:%d: an error row without actions for the user call %v", r.Line, r.Event)
			}
		default:
			answers++
			if !user {
				t.Errorf("tcp.fsm:%d: an error row with actions %v for the segment or timer event %v", r.Line, r.Actions, r.Event)
			}
		}
	}
	t.Logf("%d rows: %d error rows unreachable by construction, %d error rows answering user calls", len(Rows), unreach, answers)
	if unreach == 0 || answers == 0 {
		t.Errorf("the reachability rule separates nothing")
	}
}

// missingPairs lists the (row, state) pairs of reachable rows that c never
// stepped through.
func (c *coverage) missingPairs() []string {
	var out []string
	for i := range Rows {
		r := &Rows[i]
		if !reachable(r) {
			continue
		}
		for _, s := range r.From {
			if c.pairs[rowState{i, s}] == 0 {
				out = append(out, fmt.Sprintf("tcp.fsm:%d %v %v %v", r.Line, s, r.Event, r.Outcome))
			}
		}
	}
	return out
}
