package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Verdict is the overall outcome of a Check.
type Verdict uint8

const (
	// Pass: the search was complete, every property holds and there is no
	// deadlock error.
	Pass Verdict = iota + 1
	// Fail: some property is violated, some Sometimes property was never
	// reached in a complete search, or a deadlock error was found.
	Fail
	// Incomplete: no failure was found, but the search stopped at a limit,
	// so some properties are Unknown.
	Incomplete
)

func (v Verdict) String() string {
	return enumString("Verdict", int(v), int(Pass), "pass", "fail", "incomplete")
}

// Status is the outcome for one property.
type Status uint8

const (
	// Unknown: the search stopped at a limit before it could decide.
	Unknown Status = iota
	// Holds: an Always or Eventually property holds, or a Sometimes
	// property was reached (Path is a shortest example).
	Holds
	// Violated: an Always or Eventually property is violated (Path is a
	// shortest counterexample), or a Sometimes property was never reached
	// in a complete search (Path is nil).
	Violated
)

func (s Status) String() string {
	return enumString("Status", int(s), int(Unknown), "unknown", "holds", "violated")
}

// A Step is one transition of a Path.
type Step[S comparable] struct {
	Action Action
	// Index is the position of this successor among those Next yields for
	// the previous state; Replay takes these positions.
	Index int
	State S // the state the action leads to
}

// A Path is a run from an initial state. For a liveness counterexample it is
// a lasso: Steps is the stem and Cycle leads from the stem's last state back
// to that same state, to be repeated forever.
type Path[S comparable] struct {
	Init      S
	InitIndex int // position of Init among the states Init yields
	Steps     []Step[S]
	Cycle     []Step[S] // nil except for an infinite liveness counterexample
}

// Last returns the last state of the stem (Init when there are no Steps);
// for a lasso it is also where the cycle starts and ends.
func (p *Path[S]) Last() S {
	if len(p.Steps) == 0 {
		return p.Init
	}
	return p.Steps[len(p.Steps)-1].State
}

// States returns the states of the stem, Init first.
func (p *Path[S]) States() []S {
	out := make([]S, 0, len(p.Steps)+1)
	out = append(out, p.Init)
	for _, st := range p.Steps {
		out = append(out, st.State)
	}
	return out
}

// Choices returns InitIndex followed by the Index of every step of the stem
// and then of the cycle: the argument Replay takes to rebuild the path (with
// the cycle unrolled once).
func (p *Path[S]) Choices() []int {
	out := make([]int, 0, 1+len(p.Steps)+len(p.Cycle))
	out = append(out, p.InitIndex)
	for _, st := range p.Steps {
		out = append(out, st.Index)
	}
	for _, st := range p.Cycle {
		out = append(out, st.Index)
	}
	return out
}

// String formats the path on one line with %v for states and Action.String
// for actions, the cycle in brackets: "s0 -#1-> s1 [-#2-> s2 -#3-> s1]".
// Systems print richer paths themselves from the fields.
func (p *Path[S]) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v", p.Init)
	for _, st := range p.Steps {
		fmt.Fprintf(&b, " -%v-> %v", st.Action, st.State)
	}
	if len(p.Cycle) > 0 {
		b.WriteString(" [")
		for i, st := range p.Cycle {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "-%v-> %v", st.Action, st.State)
		}
		b.WriteByte(']')
	}
	return b.String()
}

// PropertyResult is the outcome for one property.
type PropertyResult[S comparable] struct {
	Name   string
	Kind   Kind
	Status Status
	// Path is the counterexample of a violated Always or Eventually
	// property, or the example of a reached Sometimes property; nil
	// otherwise.
	Path *Path[S]
}

// String is one line such as "always mutex: violated (4 steps)" or
// "eventually done: violated (1 step then a cycle of 3)".
func (r PropertyResult[S]) String() string {
	status := r.Status.String()
	if r.Kind == KindSometimes {
		switch r.Status {
		case Holds:
			status = "reached"
		case Violated:
			status = "never reached"
		}
	}
	s := r.Kind.String() + " " + r.Name + ": " + status
	if r.Path != nil {
		s += " (" + steps(len(r.Path.Steps))
		if len(r.Path.Cycle) > 0 {
			s += " then a cycle of " + strconv.Itoa(len(r.Path.Cycle))
		}
		s += ")"
	}
	return s
}

func steps(n int) string {
	if n == 1 {
		return "1 step"
	}
	return strconv.Itoa(n) + " steps"
}

// Memory estimates the bytes a Check held. It counts what the checker
// allocated for its own structures and unsafe.Sizeof(S) for every state it
// held; it does not count memory that states point to.
type Memory struct {
	// Table is the fingerprint set: 8 bytes a slot, plus 4 for the state id
	// when the graph is kept; between half and 3/4 of the slots are full.
	Table int64
	// PerState is the parent link and successor index of every state
	// (6 bytes) and one bit per Eventually property.
	PerState int64
	// Graph is the successor graph kept for Eventually properties: 4 bytes
	// a state plus 5 bytes a transition; with a Ranker, only the
	// transitions that keep the rank (see Ranker).
	Graph int64
	// Peak is the largest transient working set: the states of two
	// breadth-first levels and the successors being deduplicated, or the
	// scratch arrays of one liveness search (8 to 32 bytes a state).
	Peak int64
}

// Total is the sum of the fields.
func (m Memory) Total() int64 { return m.Table + m.PerState + m.Graph + m.Peak }

// Result is the outcome of Check.
type Result[S comparable] struct {
	Verdict  Verdict
	Complete bool // every reachable state was stored and expanded

	States      int   // distinct states stored
	Transitions int64 // transitions out of expanded states
	MaxDepth    int   // largest breadth-first depth of a stored state
	Terminal    int   // expanded terminal states (no successors but optional ones)

	// Stopped says why an incomplete search ended; Levels is the number
	// of breadth-first levels expanded in full (every state of depth
	// below Levels was expanded).
	Stopped StopReason
	Levels  int

	// Deadlocks counts terminal states that are errors under Options;
	// Deadlock is a shortest path to one of them.
	Deadlocks int
	Deadlock  *Path[S]

	Properties []PropertyResult[S] // in the order given to Check

	// GraphEdges is the number of transitions kept for the liveness
	// check: all of them, or with a Ranker those that keep the rank.
	// RankRejected, when not empty, says why the System's Ranker was not
	// used (the search was run again keeping every transition).
	GraphEdges   int64
	RankRejected string

	Workers         int
	Duration        time.Duration
	StatesPerSecond float64 // States / Duration
	Memory          Memory
	// PeakRSS is the largest resident set of the process sampled while
	// the search ran, when Options.MaxMemory was set; 0 otherwise.
	PeakRSS int64
}

// OK reports whether the verdict is Pass.
func (r *Result[S]) OK() bool { return r.Verdict == Pass }

// Property returns the result of the named property, or nil.
func (r *Result[S]) Property(name string) *PropertyResult[S] {
	for i := range r.Properties {
		if r.Properties[i].Name == name {
			return &r.Properties[i]
		}
	}
	return nil
}

// BytesPerState is the memory kept for the whole search (Table, PerState
// and Graph, not the transient Peak) divided by States.
func (r *Result[S]) BytesPerState() float64 {
	if r.States == 0 {
		return 0
	}
	m := r.Memory
	return float64(m.Table+m.PerState+m.Graph) / float64(r.States)
}

// String summarizes the result on a few lines, without paths or timings:
//
//	fail: 16 states, 44 transitions, depth 4, 0 terminal, complete
//	always mutex: violated (4 steps)
func (r *Result[S]) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v: %d states, %d transitions, depth %d, %d terminal", r.Verdict, r.States, r.Transitions, r.MaxDepth, r.Terminal)
	switch {
	case r.Complete:
		b.WriteString(", complete")
	case r.Stopped != NotStopped:
		fmt.Fprintf(&b, ", incomplete (%v after %d levels)", r.Stopped, r.Levels)
	default:
		b.WriteString(", incomplete")
	}
	if r.Deadlocks > 0 {
		fmt.Fprintf(&b, "\ndeadlock: %d terminal states rejected", r.Deadlocks)
		if r.Deadlock != nil {
			fmt.Fprintf(&b, " (%s)", steps(len(r.Deadlock.Steps)))
		}
	}
	for _, p := range r.Properties {
		b.WriteByte('\n')
		b.WriteString(p.String())
	}
	return b.String()
}
