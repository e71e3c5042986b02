package model_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/synfin/synfin/model"
)

// Tests of Eventually properties checked on the whole graph (the ranked
// search has rank_test.go): systems and small graphs whose answers are
// clear by inspection.

func TestPeterson(t *testing.T) {
	tests := []struct {
		name        string
		sys         mutex
		eventually  model.Status
		cycleLength int
	}{
		{name: "fair", sys: mutex{peterson: true}, eventually: model.Holds},
		// Without fairness P1 may run its loop forever while P0 never
		// takes a step: a lasso with no stem and P1's 4-step loop.
		{name: "unfair", sys: mutex{peterson: true, unfair: true}, eventually: model.Violated, cycleLength: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.sys
			r := check(t, m, model.Options[mutexState]{},
				model.Always("mutual exclusion", func(s mutexState) bool { return !(m.critical(s, 0) && m.critical(s, 1)) }),
				model.Eventually("P0 enters", func(s mutexState) bool { return m.critical(s, 0) }),
				model.Sometimes("P1 enters", func(s mutexState) bool { return m.critical(s, 1) }),
			)
			if p := prop(t, r, "mutual exclusion"); p.Status != model.Holds {
				t.Errorf("mutual exclusion: %v %v", p, p.Path)
			}
			if p := prop(t, r, "P1 enters"); p.Status != model.Holds {
				t.Errorf("P1 enters: %v", p)
			}
			p := prop(t, r, "P0 enters")
			if p.Status != tt.eventually {
				t.Fatalf("P0 enters: %v %v, want %v", p, p.Path, tt.eventually)
			}
			if tt.eventually == model.Violated {
				if len(p.Path.Steps) != 0 || len(p.Path.Cycle) != tt.cycleLength {
					t.Errorf("lasso %v: want no stem and a cycle of %d", p.Path, tt.cycleLength)
				}
				for _, st := range p.Path.Cycle {
					if st.Action.Code/10 != 1 {
						t.Errorf("cycle step %v is not P1's", st.Action)
					}
				}
			}
		})
	}
}

// eventuallyCase is a liveness property on a small explicit graph whose
// answer is clear by inspection. Node 0 is initial; the goal is one node.
type eventuallyCase struct {
	name  string
	g     *graph
	goal  int
	want  model.Status
	stem  int   // counterexample stem length
	cycle []int // counterexample cycle, as nodes visited
}

var eventuallyCases = []eventuallyCase{{
	// A process may spin at 0 forever, but "go" (fair) is
	// continuously enabled, so spinning forever is not a fair run.
	name: "unfair self-loop", goal: 1, want: model.Holds,
	g: newGraph(2, [3]int{0, 0, 0}, [3]int{0, 1, 1}),
}, {
	name: "unfair two-state spin", goal: 1, want: model.Holds,
	g: newGraph(3, [3]int{0, 2, 0}, [3]int{2, 0, 0}, [3]int{0, 1, 1}, [3]int{2, 1, 1}),
}, {
	// Same spin but "go" is not fair: the spin is a fair cycle.
	name: "fair self-loop", goal: 1, want: model.Violated, stem: 0, cycle: []int{0},
	g: newGraph(2, [3]int{0, 0, 0}, [3]int{0, 1, 0}),
}, {
	// "go" is enabled at 0 but not at 2: weak fairness does not
	// force it (strong fairness would).
	name: "intermittently enabled", goal: 1, want: model.Violated, stem: 0, cycle: []int{2, 0},
	g: newGraph(3, [3]int{0, 2, 0}, [3]int{2, 0, 0}, [3]int{0, 1, 1}),
}, {
	// A stem of two steps into a 3-cycle that avoids the goal.
	name: "lasso", goal: 5, want: model.Violated, stem: 2, cycle: []int{3, 4, 2},
	g: newGraph(6, [3]int{0, 1, 0}, [3]int{1, 2, 0}, [3]int{2, 3, 0}, [3]int{3, 4, 0}, [3]int{4, 2, 0}, [3]int{0, 5, 0}),
}, {
	// Class 1 is enabled in 0, 1 and 2, so the short cycle 0-1-0
	// is unfair; the fair cycle must take the class-1 edge 1->2.
	name: "cycle takes the fair edge", goal: 3, want: model.Violated, stem: 0, cycle: []int{1, 2, 0},
	g: newGraph(4, [3]int{0, 1, 0}, [3]int{1, 0, 0}, [3]int{1, 2, 1}, [3]int{2, 0, 0},
		[3]int{0, 3, 1}, [3]int{2, 3, 1}),
}, {
	// Class 1 is enabled in 0 and 1 but not 2 and labels no edge
	// inside: the cycle must pass through 2, where it is disabled.
	name: "cycle visits the disabled state", goal: 3, want: model.Violated, stem: 0, cycle: []int{1, 2, 0},
	g: newGraph(4, [3]int{0, 1, 0}, [3]int{1, 0, 0}, [3]int{1, 2, 0}, [3]int{2, 0, 0},
		[3]int{0, 3, 1}, [3]int{1, 3, 1}),
}, {
	// A terminal state without the goal: a finite counterexample.
	name: "terminal", goal: 3, want: model.Violated, stem: 2,
	g: newGraph(4, [3]int{0, 1, 0}, [3]int{1, 2, 0}, [3]int{0, 3, 0}),
}, {
	// Every run passes through 1; what happens after does not count.
	name: "goal then cycle", goal: 1, want: model.Holds,
	g: newGraph(3, [3]int{0, 1, 0}, [3]int{1, 2, 0}, [3]int{2, 2, 0}),
}, {
	// The same cycle reached around the goal is a violation.
	name: "cycle around the goal", goal: 1, want: model.Violated, stem: 1, cycle: []int{2},
	g: newGraph(3, [3]int{0, 1, 0}, [3]int{1, 2, 0}, [3]int{2, 2, 0}, [3]int{0, 2, 0}),
}, {
	name: "goal initially", goal: 0, want: model.Holds,
	g: newGraph(2, [3]int{0, 1, 0}, [3]int{1, 1, 0}),
}, {
	// The shortest stem wins: the cycle at 3 is 1 step away via 3,
	// the terminal 4 two steps away.
	name: "nearest violation", goal: 5, want: model.Violated, stem: 1, cycle: []int{3},
	g: newGraph(6, [3]int{0, 1, 0}, [3]int{1, 4, 0}, [3]int{0, 3, 0}, [3]int{3, 3, 0}, [3]int{0, 5, 0}),
}}

// TestEventually runs the liveness properties of eventuallyCases.
func TestEventually(t *testing.T) {
	for _, tt := range eventuallyCases {
		t.Run(tt.name, func(t *testing.T) {
			r := check(t, tt.g, model.Options[int]{AllowDeadlock: true}, model.Eventually("goal", is(tt.goal)))
			p := prop(t, r, "goal")
			if p.Status != tt.want {
				t.Fatalf("status %v, want %v; path %v", p.Status, tt.want, p.Path)
			}
			if tt.want != model.Violated {
				if p.Path != nil {
					t.Errorf("path %v for a property that holds", p.Path)
				}
				return
			}
			var cycle []int
			for _, st := range p.Path.Cycle {
				cycle = append(cycle, st.State)
			}
			if len(p.Path.Steps) != tt.stem || !cmp.Equal(cycle, tt.cycle, cmpopts.EquateEmpty()) {
				t.Errorf("counterexample %v: want stem %d, cycle %v", p.Path, tt.stem, tt.cycle)
			}
		})
	}
}

// TestLimitLiveness: a violation found in part of the graph is real, so it
// is reported even when the search is incomplete.
func TestLimitLiveness(t *testing.T) {
	r := check(t, limitGraph(), model.Options[int]{MaxStates: 10}, model.Eventually("end", is(99)))
	if p := prop(t, r, "end"); p.Status != model.Violated || len(p.Path.Cycle) != 2 {
		t.Errorf("end: %v %v; want a 2-cycle", p, p.Path)
	}
	if r.Complete || r.Verdict != model.Fail || r.Deadlocks != 0 {
		t.Errorf("got %v; want an incomplete failure with no deadlock", r)
	}
}

// limitGraph is the graph of TestLimitLiveness: a 2-cycle 0-1 and a chain
// 0, 2, 3, ..., 99.
func limitGraph() *graph {
	g := newGraph(100, [3]int{0, 1, 0}, [3]int{1, 0, 0}, [3]int{0, 2, 0})
	for v := 2; v < 99; v++ {
		g.edges[v] = []edge{{to: v + 1}}
	}
	return g
}
