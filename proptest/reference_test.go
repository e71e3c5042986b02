package proptest

// Generated versus reference: random sequences of (event, guards) go to
// the generated Step and Match and to the spec interpreter's, from the
// initial state, and the two traces must be equal step for step. Names,
// not numbers, are compared, so a drift in numbering shows as a
// difference rather than being assumed away.

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/synfin/synfin/gen/example/doorlock"
	"github.com/synfin/synfin/spec"
	"github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/tcptest"
)

// stimulus is one input of a machine: an event and the guards that hold,
// numbered as in the generated package.
type stimulus struct {
	Event  uint8
	Guards uint8
}

func (s stimulus) String() string { return fmt.Sprintf("(%d,%#x)", s.Event, s.Guards) }

// record is one step of a trace, in the table's own words.
type record struct {
	From    string
	Event   string
	Guards  string
	Line    int // the line of the deciding row, 0 for none
	To      string
	Actions string
	OK      bool
}

// generated is a generated package seen through plain ints, so that one
// comparison serves every machine.
type generated struct {
	name      string
	initial   int
	numEvents int
	numGuards int
	step      func(s, e int, g uint64) (next int, act uint64, ok bool)
	match     func(s, e int, g uint64) int
	rowLine   func(row int) int
	numRows   int
	state     func(s int) string
	event     func(e int) string
	guards    func(g uint64) string
	actions   func(a uint64) string
}

var tcpGenerated = generated{
	name:      "tcp",
	initial:   int(tcpfsm.InitialState),
	numEvents: tcpfsm.NumEvents,
	numGuards: tcpfsm.NumGuards,
	step: func(s, e int, g uint64) (int, uint64, bool) {
		n, a, ok := tcpfsm.Step(tcpfsm.State(s), tcpfsm.Event(e), tcpfsm.Guards(g))
		return int(n), uint64(a), ok
	},
	match:   func(s, e int, g uint64) int { return tcpfsm.Match(tcpfsm.State(s), tcpfsm.Event(e), tcpfsm.Guards(g)) },
	rowLine: func(r int) int { return tcpfsm.Rows[r].Line },
	numRows: len(tcpfsm.Rows),
	state:   func(s int) string { return tcpfsm.State(s).String() },
	event:   func(e int) string { return tcpfsm.Event(e).String() },
	guards:  func(g uint64) string { return tcpfsm.Guards(g).String() },
	actions: func(a uint64) string { return tcpfsm.Actions(a).String() },
}

var doorlockGenerated = generated{
	name:      "doorlock",
	initial:   int(doorlock.InitialState),
	numEvents: doorlock.NumEvents,
	numGuards: doorlock.NumGuards,
	step: func(s, e int, g uint64) (int, uint64, bool) {
		n, a, ok := doorlock.Step(doorlock.State(s), doorlock.Event(e), doorlock.Guards(g))
		return int(n), uint64(a), ok
	},
	match: func(s, e int, g uint64) int {
		return doorlock.Match(doorlock.State(s), doorlock.Event(e), doorlock.Guards(g))
	},
	rowLine: func(r int) int { return doorlock.Rows[r].Line },
	numRows: len(doorlock.Rows),
	state:   func(s int) string { return doorlock.State(s).String() },
	event:   func(e int) string { return doorlock.Event(e).String() },
	guards:  func(g uint64) string { return doorlock.Guards(g).String() },
	actions: func(a uint64) string { return doorlock.Actions(a).String() },
}

// traces runs stims through the generated machine and the interpreter of
// m from their initial states and returns both traces. rows, if not nil,
// counts the interpreter rows that decided a step.
func traces(g generated, m *spec.Machine, stims []stimulus, rows []int) (got, want []record) {
	gs, ms := g.initial, m.Initial
	for _, st := range stims {
		ev := int(st.Event) % g.numEvents
		gb := uint64(st.Guards) & (1<<g.numGuards - 1)

		// The generated side: Step, and Match's row, which must agree.
		next, act, ok := g.step(gs, ev, gb)
		r := record{From: g.state(gs), Event: g.event(ev), Guards: g.guards(gb), To: g.state(next), Actions: g.actions(act), OK: ok}
		if row := g.match(gs, ev, gb); row >= 0 && row < g.numRows {
			r.Line = g.rowLine(row)
		}
		got = append(got, r)
		gs = next

		// The interpreter, through names.
		me := m.EventIndex(g.event(ev))
		var mg uint64
		for b := 0; b < g.numGuards; b++ {
			if gb&(1<<b) != 0 {
				if i := m.GuardIndex(g.guards(1 << b)); i >= 0 {
					mg |= 1 << i
				}
			}
		}
		mnext, mact, mok := m.Step(ms, me, mg)
		w := record{From: m.States[ms].Name, Event: m.Events[me].Name, Guards: guardNames(m, mg), To: m.States[mnext].Name,
			Actions: spec.SetString(m.Actions, mact), OK: mok}
		if row := m.Match(ms, me, mg); row >= 0 {
			w.Line = m.Rows[row].Pos.Line
			if rows != nil {
				rows[row]++
			}
		}
		want = append(want, w)
		ms = mnext
	}
	return got, want
}

// guardNames spells a guard set of m like the generated String methods.
func guardNames(m *spec.Machine, g uint64) string {
	return spec.SetString(m.Guards, g)
}

// path writes a trace on one line: "CLOSED -open-active-> SYN-SENT ...".
func path(tr []record) string {
	if len(tr) == 0 {
		return "(empty)"
	}
	var b strings.Builder
	b.WriteString(tr[0].From)
	for _, r := range tr {
		g := ""
		if r.Guards != "" {
			g = "[" + r.Guards + "]"
		}
		fmt.Fprintf(&b, " -%s%s-> %s", r.Event, g, r.To)
		if !r.OK {
			b.WriteString(" (error)")
		}
	}
	return b.String()
}

// stimuli generates sequences of stimuli for a machine with numEvents
// events and numGuards guards.
func stimuli(g generated) gopter.Gen {
	return gen.SliceOf(gen.Struct(reflect.TypeOf(stimulus{}), map[string]gopter.Gen{
		"Event":  gen.UInt8Range(0, uint8(g.numEvents-1)),
		"Guards": gen.UInt8Range(0, uint8(1<<g.numGuards-1)),
	}))
}

// referenceProp is the property: the traces are equal. Its label is the
// diff.
func referenceProp(g generated, m *spec.Machine, rows []int) gopter.Prop {
	return prop.ForAll(func(stims []stimulus) *gopter.PropResult {
		got, want := traces(g, m, stims, rows)
		if d := cmp.Diff(want, got); d != "" {
			return &gopter.PropResult{Status: gopter.PropFalse, Labels: []string{
				"the interpreter's run: " + path(want) + "\ninterpreter (-) vs generated (+):\n" + d}}
		}
		return &gopter.PropResult{Status: gopter.PropTrue}
	}, stimuli(g))
}

// referenceRuns is how many sequences each machine gets, of up to
// referenceLen stimuli.
const (
	referenceRuns = 2000
	referenceLen  = 300
)

func TestGeneratedMatchesInterpreter(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		g    generated
		file string
	}{
		{tcpGenerated, "../spec/tcp.fsm"},
		{doorlockGenerated, "../gen/example/doorlock/doorlock.fsm"},
	} {
		t.Run(c.g.name, func(t *testing.T) {
			m, err := spec.ParseFile(c.file)
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Rows) != c.g.numRows {
				t.Fatalf("%s has %d rows, the generated package %d", c.file, len(m.Rows), c.g.numRows)
			}
			rows := make([]int, len(m.Rows))
			check(t, c.g.name+": generated Step and Match agree with the interpreter", referenceProp(c.g, m, rows), params(referenceRuns, referenceLen))

			// The sequences must reach the whole table, or agreement
			// means little: every row of a table decides some reachable
			// pair (the spec validator requires every state reachable).
			var missed []string
			hit := 0
			for i, n := range rows {
				if n == 0 {
					missed = append(missed, fmt.Sprintf("%s:%d", c.file, m.Rows[i].Pos.Line))
				} else {
					hit++
				}
			}
			t.Logf("%s: rows decided %d of %d", c.g.name, hit, len(rows))
			if len(missed) > 0 {
				t.Errorf("rows never reached by the random sequences: %s", strings.Join(missed, " "))
			}
		})
	}
}

// TestReferenceCatchesDrift breaks the reference on purpose: the
// interpreter runs a table whose LAST-ACK row for the ACK of our FIN goes
// to TIME-WAIT instead of CLOSED. The property must fail, and gopter must
// shrink the sequence to one from which no single stimulus can be removed
// (a sequence that reaches LAST-ACK and then sends the ACK of our FIN).
func TestReferenceCatchesDrift(t *testing.T) {
	t.Parallel()
	m := tcptest.Machine(t, tcptest.LastAckToTimeWait)
	p := params(200, referenceLen)
	res := referenceProp(tcpGenerated, m, nil).Check(p)
	if res.Passed() {
		t.Fatalf("the comparison passed against a drifted interpreter (seed %d)", p.Seed())
	}
	if len(res.Args) != 1 {
		t.Fatalf("want one shrunk argument, got %d", len(res.Args))
	}
	shrunk, orig := res.Args[0].Arg.([]stimulus), res.Args[0].OrigArg.([]stimulus)
	if len(shrunk) > len(orig) {
		t.Errorf("shrunk sequence of %d stimuli is longer than the original %d", len(shrunk), len(orig))
	}
	fails := func(s []stimulus) bool {
		got, want := traces(tcpGenerated, m, s, nil)
		return !cmp.Equal(got, want)
	}
	if !fails(shrunk) {
		t.Fatalf("the shrunk sequence %v does not fail", shrunk)
	}
	for i := range shrunk {
		if fails(append(append([]stimulus(nil), shrunk[:i]...), shrunk[i+1:]...)) {
			t.Errorf("shrinking stopped early: %v still fails without stimulus %d", shrunk, i)
		}
	}
	got, want := traces(tcpGenerated, m, shrunk, nil)
	if last := want[len(want)-1]; last.From != "LAST-ACK" || last.Event != "seg-ack-fin" {
		t.Errorf("the shrunk sequence ends with %s %s, want LAST-ACK seg-ack-fin", last.From, last.Event)
	}
	t.Logf("shrunk from %d to %d stimuli (%d shrinks): %s\ninterpreter (-) vs generated (+):\n%s",
		len(orig), len(shrunk), res.Args[0].Shrinks, path(want), cmp.Diff(want, got))
}
