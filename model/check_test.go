package model_test

import (
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/synfin/synfin/model"
)

func check[S comparable](t *testing.T, sys model.System[S], opts model.Options[S], props ...model.Property[S]) *model.Result[S] {
	t.Helper()
	r, err := model.Check(sys, opts, props...)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	return r
}

func prop[S comparable](t *testing.T, r *model.Result[S], name string) *model.PropertyResult[S] {
	t.Helper()
	p := r.Property(name)
	if p == nil {
		t.Fatalf("no property %q in result", name)
	}
	return p
}

// counts is what a complete search must find.
type counts struct {
	States      int
	Transitions int64
	MaxDepth    int
	Terminal    int
}

func countsOf[S comparable](r *model.Result[S]) counts {
	return counts{r.States, r.Transitions, r.MaxDepth, r.Terminal}
}

func TestCountsCounters(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 50, 200} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			r := check(t, counters{uint16(n)}, model.Options[pair]{},
				model.Sometimes("far corner", func(s pair) bool { return s == pair{uint16(n - 1), uint16(n - 1)} }))
			want := counts{States: n * n, Transitions: int64(2 * n * n), MaxDepth: 2 * (n - 1)}
			if diff := cmp.Diff(want, countsOf(r)); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
			if !r.OK() || !r.Complete {
				t.Errorf("verdict %v, complete %v; want pass, complete", r.Verdict, r.Complete)
			}
			if p := prop(t, r, "far corner"); len(p.Path.Steps) != 2*(n-1) {
				t.Errorf("far corner reached in %d steps, want %d", len(p.Path.Steps), 2*(n-1))
			}
		})
	}
}

func TestCountsHanoi(t *testing.T) {
	for n := 1; n <= 9; n++ {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			h := hanoi{n}
			r := check(t, h, model.Options[uint32]{}, model.Sometimes("solved", h.solved))
			pow3 := 1
			for range n {
				pow3 *= 3
			}
			want := counts{States: pow3, Transitions: int64(3*pow3 - 3), MaxDepth: 1<<n - 1}
			if diff := cmp.Diff(want, countsOf(r)); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
			p := prop(t, r, "solved")
			if p.Status != model.Holds || len(p.Path.Steps) != 1<<n-1 {
				t.Fatalf("solved: %v", p)
			}
			if !h.solved(p.Path.Last()) {
				t.Errorf("example path ends in %b, not solved", p.Path.Last())
			}
		})
	}
}

func TestJugs(t *testing.T) {
	r := check(t, jugs{}, model.Options[jugState]{},
		model.Sometimes("four gallons", func(s jugState) bool { return s.big == 4 }),
		model.Sometimes("six gallons", func(s jugState) bool { return s.big+s.small == 9 }),
		model.Always("within capacity", func(s jugState) bool { return s.small <= 3 && s.big <= 5 }),
	)
	if diff := cmp.Diff(counts{States: 16, Transitions: 96, MaxDepth: 7}, countsOf(r)); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	four := prop(t, r, "four gallons")
	if four.Status != model.Holds || len(four.Path.Steps) != 6 {
		t.Errorf("four gallons: %v", four)
	}
	// Fill big, pour into small, empty small, pour, fill big, pour.
	var codes []uint32
	for _, st := range four.Path.Steps {
		codes = append(codes, st.Action.Code)
	}
	if diff := cmp.Diff([]uint32{1, 5, 2, 5, 1, 5}, codes); diff != "" {
		t.Errorf("four gallons path (-want +got):\n%s", diff)
	}
	if six := prop(t, r, "six gallons"); six.Status != model.Violated || six.Path != nil {
		t.Errorf("six gallons: %v; want never reached", six)
	}
	if r.Verdict != model.Fail {
		t.Errorf("verdict %v with a Sometimes never reached; want fail", r.Verdict)
	}
}

func TestMutexBug(t *testing.T) {
	m := mutex{}
	r := check(t, m, model.Options[mutexState]{},
		model.Always("mutual exclusion", func(s mutexState) bool { return !(m.critical(s, 0) && m.critical(s, 1)) }))
	p := prop(t, r, "mutual exclusion")
	if p.Status != model.Violated {
		t.Fatalf("mutual exclusion %v; want violated", p.Status)
	}
	if got := len(p.Path.Steps); got != 4 {
		t.Errorf("counterexample has %d steps, want 4: %v", got, p.Path)
	}
	// Breadth-first order and the fixed successor order pin the path:
	// P0 checks, P1 checks, P0 enters, P1 enters.
	want := "{[0 0] [false false] 0} -#0/wf1-> {[1 0] [false false] 0} -#10/wf2-> {[1 1] [false false] 0}" +
		" -#1/wf1-> {[2 1] [true false] 0} -#11/wf2-> {[2 2] [true true] 0}"
	if got := p.Path.String(); got != want {
		t.Errorf("counterexample\n got %s\nwant %s", got, want)
	}
	if r.Verdict != model.Fail {
		t.Errorf("verdict %v, want fail", r.Verdict)
	}
}

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

// TestEventually runs liveness properties on small explicit graphs whose
// answer is clear by inspection. Node 0 is initial; the goal is one node.
func TestEventually(t *testing.T) {
	tests := []struct {
		name  string
		g     *graph
		goal  int
		want  model.Status
		stem  int   // counterexample stem length
		cycle []int // counterexample cycle, as nodes visited
	}{{
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
	for _, tt := range tests {
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

func TestDeadlock(t *testing.T) {
	tests := []struct {
		name      string
		opts      model.Options[uint8]
		deadlocks int
		verdict   model.Verdict
	}{
		{name: "error by default", deadlocks: 1, verdict: model.Fail},
		{name: "allowed", opts: model.Options[uint8]{AllowDeadlock: true}, verdict: model.Pass},
		{name: "accepted", opts: model.Options[uint8]{Terminal: func(s uint8) bool { return s == 3 }}, verdict: model.Pass},
		{name: "rejected", opts: model.Options[uint8]{Terminal: func(s uint8) bool { return s == 9 }}, deadlocks: 1, verdict: model.Fail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := check(t, countdown{3}, tt.opts, model.Always("small", func(s uint8) bool { return s <= 3 }))
			if diff := cmp.Diff(counts{States: 4, Transitions: 3, MaxDepth: 3, Terminal: 1}, countsOf(r)); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
			if r.Deadlocks != tt.deadlocks || r.Verdict != tt.verdict {
				t.Errorf("deadlocks %d, verdict %v; want %d, %v", r.Deadlocks, r.Verdict, tt.deadlocks, tt.verdict)
			}
			if (r.Deadlock != nil) != (tt.deadlocks > 0) {
				t.Fatalf("deadlock path %v with %d deadlocks", r.Deadlock, r.Deadlocks)
			}
			if r.Deadlock != nil && (len(r.Deadlock.Steps) != 3 || r.Deadlock.Last() != 3) {
				t.Errorf("deadlock path %v, want 0..3", r.Deadlock)
			}
		})
	}
}

func TestSometimes(t *testing.T) {
	r := check(t, counters{5}, model.Options[pair]{},
		model.Sometimes("a is 3", func(s pair) bool { return s.a == 3 }),
		model.Sometimes("b is 5", func(s pair) bool { return s.b == 5 }),
	)
	if p := prop(t, r, "a is 3"); p.Status != model.Holds || len(p.Path.Steps) != 3 || p.Path.Last() != (pair{3, 0}) {
		t.Errorf("a is 3: %v %v", p, p.Path)
	}
	if p := prop(t, r, "b is 5"); p.Status != model.Violated || p.Path != nil {
		t.Errorf("b is 5: %v; want never reached", p)
	}
	if r.Verdict != model.Fail {
		t.Errorf("verdict %v; want fail", r.Verdict)
	}
}

func TestLimits(t *testing.T) {
	props := []model.Property[pair]{
		model.Always("a below 9", func(s pair) bool { return s.a < 9 }),
		model.Sometimes("b is 1", func(s pair) bool { return s.b == 1 }),
		model.Eventually("a is 9", func(s pair) bool { return s.a == 9 }),
	}
	tests := []struct {
		name     string
		opts     model.Options[pair]
		states   int
		maxDepth int
	}{
		// 36 states lie within depth 7.
		{name: "MaxStates", opts: model.Options[pair]{MaxStates: 37}, states: 37, maxDepth: 8},
		// States within depth d of the origin: (d+1)(d+2)/2.
		{name: "MaxDepth", opts: model.Options[pair]{MaxDepth: 3}, states: 10, maxDepth: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, w := range []int{1, 3} {
				tt.opts.Workers = w
				r := check(t, counters{10}, tt.opts, props...)
				if r.States != tt.states || r.MaxDepth != tt.maxDepth || r.Complete || r.Verdict != model.Incomplete {
					t.Errorf("workers %d: %v; want %d states, depth %d, incomplete", w, r, tt.states, tt.maxDepth)
				}
				for _, p := range r.Properties {
					want := model.Unknown
					if p.Name == "b is 1" {
						want = model.Holds
					}
					if p.Status != want {
						t.Errorf("workers %d: %v, want %v", w, p, want)
					}
				}
			}
		})
	}
	// The search that is not cut short finds everything.
	r := check(t, counters{10}, model.Options[pair]{MaxStates: 100, MaxDepth: 19}, props...)
	if !r.Complete || r.States != 100 {
		t.Errorf("limits that are not reached: %v", r)
	}
}

// TestLimitLiveness: a violation found in part of the graph is real, so it
// is reported even when the search is incomplete.
func TestLimitLiveness(t *testing.T) {
	g := newGraph(100, [3]int{0, 1, 0}, [3]int{1, 0, 0}, [3]int{0, 2, 0})
	for v := 2; v < 99; v++ {
		g.edges[v] = []edge{{v + 1, 0}}
	}
	r := check(t, g, model.Options[int]{MaxStates: 10}, model.Eventually("end", is(99)))
	if p := prop(t, r, "end"); p.Status != model.Violated || len(p.Path.Cycle) != 2 {
		t.Errorf("end: %v %v; want a 2-cycle", p, p.Path)
	}
	if r.Complete || r.Verdict != model.Fail || r.Deadlocks != 0 {
		t.Errorf("got %v; want an incomplete failure with no deadlock", r)
	}
}

func TestStopOnViolation(t *testing.T) {
	always := model.Always("a below 3", func(s pair) bool { return s.a < 3 })
	r := check(t, counters{50}, model.Options[pair]{StopOnViolation: true}, always)
	// (3, 0) is found while storing depth 3; depth 3 is not expanded.
	if r.Complete || r.States != 10 || r.MaxDepth != 3 || r.Verdict != model.Fail {
		t.Errorf("got %v; want a failure with the 10 states within depth 3", r)
	}
	if p := prop(t, r, "a below 3"); len(p.Path.Steps) != 3 {
		t.Errorf("counterexample %v, want 3 steps", p.Path)
	}
}

// TestWorkers checks that the result does not depend on the number of
// workers, on systems large enough to split levels into many chunks.
func TestWorkers(t *testing.T) {
	ignore := cmpopts.IgnoreFields(model.Result[pair]{}, "Workers", "Duration", "StatesPerSecond", "Memory")
	run := func(t *testing.T, name string, f func(w int) any, opt cmp.Option) {
		t.Run(name, func(t *testing.T) {
			want := f(1)
			for _, w := range []int{2, 4, 7} {
				if diff := cmp.Diff(want, f(w), opt, cmp.AllowUnexported(pair{}, gridState{})); diff != "" {
					t.Errorf("workers %d vs 1 (-1 +%d):\n%s", w, w, diff)
				}
			}
		})
	}
	run(t, "counters", func(w int) any {
		return check(t, counters{120}, model.Options[pair]{Workers: w},
			model.Always("sum", func(s pair) bool { return s.a+s.b < 170 }),
			model.Sometimes("b is 99", func(s pair) bool { return s.b == 99 }),
			model.Eventually("a is 119", func(s pair) bool { return s.a == 119 }),
			model.Eventually("corner", func(s pair) bool { return s == pair{119, 119} }),
		)
	}, ignore)
	run(t, "grid", func(w int) any {
		return check(t, grid{24}, model.Options[gridState]{Workers: w, MaxStates: 9000},
			model.Always("c small", func(s gridState) bool { return s.c < 20 }),
			model.Eventually("b wraps", func(s gridState) bool { return s.b == 23 }),
		)
	}, cmpopts.IgnoreFields(model.Result[gridState]{}, "Workers", "Duration", "StatesPerSecond", "Memory"))
	run(t, "random graph", func(w int) any {
		g := randomGraph(3000, 3, 7)
		return check(t, g, model.Options[int]{Workers: w, AllowDeadlock: true},
			model.Eventually("goal", func(v int) bool { return v%97 == 5 }),
			model.Sometimes("far", is(2999)),
		)
	}, cmpopts.IgnoreFields(model.Result[int]{}, "Workers", "Duration", "StatesPerSecond", "Memory"))
}

func TestProgress(t *testing.T) {
	for _, w := range []int{1, 2} {
		var calls []model.Progress
		r := check(t, counters{100}, model.Options[pair]{
			Workers:          w,
			ProgressInterval: 1, // after every chunk worker 0 expands
			Progress:         func(p model.Progress) { calls = append(calls, p) },
		})
		// With one worker, worker 0 expands every chunk of the 199
		// levels; with more, other workers may take them all.
		if len(calls) == 0 || (w == 1 && len(calls) < 199) {
			t.Fatalf("workers %d: %d progress calls", w, len(calls))
		}
		for i, p := range calls {
			if p.Queue < 0 || p.States > r.States || (i > 0 && p.States < calls[i-1].States) || p.Done != (i == len(calls)-1) {
				t.Errorf("workers %d, call %d: %+v", w, i, p)
			}
		}
		last := calls[len(calls)-1]
		if last.States != r.States || last.Transitions != r.Transitions || last.Queue != 0 {
			t.Errorf("workers %d: last call %+v, result %v", w, last, r)
		}
	}
}

// collide is counters with a fingerprint that maps everything to one value.
type collide struct{ counters }

func (collide) Fingerprint(pair) uint64 { return 42 }

// exact is counters with an injective fingerprint.
type exact struct{ counters }

func (exact) Fingerprint(s pair) uint64 { return uint64(s.a)<<16 | uint64(s.b) }

func TestFingerprinter(t *testing.T) {
	always := model.Always("a below 2", func(s pair) bool { return s.a < 2 })

	// The origin's fingerprint is 0, which the table keeps aside.
	r := check(t, exact{counters{30}}, model.Options[pair]{}, always,
		model.Eventually("a is 29", func(s pair) bool { return s.a == 29 }),
		model.Eventually("corner", func(s pair) bool { return s == pair{29, 29} }))
	if r.States != 900 || prop(t, r, "a below 2").Status != model.Violated || prop(t, r, "a is 29").Status != model.Holds {
		t.Errorf("injective fingerprint: %v", r)
	}
	// Fair runs can go round the torus without touching the corner; the
	// origin lies on such a cycle, so the lasso has no stem.
	if p := prop(t, r, "corner").Path; p == nil || len(p.Steps) != 0 || len(p.Cycle) == 0 {
		t.Errorf("lasso from the origin: %v", p)
	}

	// A collision hides states (and the violation among them)...
	r = check(t, collide{counters{30}}, model.Options[pair]{}, always)
	if r.States != 1 || prop(t, r, "a below 2").Status != model.Holds {
		t.Errorf("colliding fingerprint: %v; want 1 state, violation hidden", r)
	}
	// ...and never invents one: the liveness search sees the collisions
	// as self-loops, but the lasso does not replay, so Check says so.
	_, err := model.Check(collide{counters{30}}, model.Options[pair]{}, model.Eventually("a is 5", func(s pair) bool { return s.a == 5 }))
	if err == nil || !strings.Contains(err.Error(), "does not replay") {
		t.Errorf("colliding fingerprint with liveness: error %v, want a replay failure", err)
	}
}

// flaky reverses its successor order after a number of calls to Next, like
// a system that iterates over a map.
type flaky struct{ calls *atomic.Int64 }

func (f flaky) Init(yield func(int)) { yield(0) }

func (f flaky) Next(s int, yield func(model.Action, int)) {
	if s >= 10 {
		return
	}
	if f.calls.Add(1) > 10 { // the search calls Next 10 times
		yield(model.Action{Code: 1}, s+100)
		yield(model.Action{Code: 0}, s+1)
		return
	}
	yield(model.Action{Code: 0}, s+1)
	yield(model.Action{Code: 1}, s+100)
}

func TestNondeterministicSystem(t *testing.T) {
	_, err := model.Check(flaky{new(atomic.Int64)}, model.Options[int]{AllowDeadlock: true, Workers: 1},
		model.Always("not 5", func(s int) bool { return s != 5 }))
	if err == nil || !strings.Contains(err.Error(), "not deterministic") {
		t.Errorf("error %v, want a replay failure", err)
	}
}

func TestReplay(t *testing.T) {
	m := mutex{}
	r := check(t, m, model.Options[mutexState]{},
		model.Always("mutual exclusion", func(s mutexState) bool { return !(m.critical(s, 0) && m.critical(s, 1)) }))
	want := prop(t, r, "mutual exclusion").Path
	got, err := model.Replay[mutexState](m, want.Choices())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(mutexState{})); diff != "" {
		t.Errorf("Replay (-want +got):\n%s", diff)
	}
	if _, err := model.Replay[mutexState](m, []int{0, 0, 5}); err == nil {
		t.Error("Replay of a choice out of range: no error")
	}
	if _, err := model.Replay[mutexState](m, []int{1}); err == nil {
		t.Error("Replay of a missing initial state: no error")
	}
}

// TestLassoReplay replays a lasso's choices and finds the loop.
func TestLassoReplay(t *testing.T) {
	m := mutex{peterson: true, unfair: true}
	r := check(t, m, model.Options[mutexState]{}, model.Eventually("P0 enters", func(s mutexState) bool { return m.critical(s, 0) }))
	lasso := prop(t, r, "P0 enters").Path
	p, err := model.Replay[mutexState](m, lasso.Choices())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Steps) != len(lasso.Steps)+len(lasso.Cycle) || p.Last() != lasso.Last() {
		t.Errorf("replayed %v from lasso %v", p, lasso)
	}
}

type panicky struct{ counters }

func (p panicky) Next(s pair, yield func(model.Action, pair)) {
	if s == (pair{3, 4}) {
		panic("boom")
	}
	p.counters.Next(s, yield)
}

func TestPanic(t *testing.T) {
	for _, w := range []int{1, 4} {
		func() {
			defer func() {
				v := recover()
				wp, ok := v.(*model.WorkerPanic)
				if !ok || wp.Value != "boom" || !strings.Contains(wp.Error(), "boom") {
					t.Errorf("workers %d: recovered %v, want a *WorkerPanic with boom", w, v)
				}
			}()
			model.Check(panicky{counters{10}}, model.Options[pair]{Workers: w})
			t.Errorf("workers %d: Check returned", w)
		}()
	}
}

func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 5 {
		check(t, counters{40}, model.Options[pair]{Workers: 4}, model.Eventually("a", func(s pair) bool { return s.a == 39 }))
	}
	func() {
		defer func() { recover() }()
		model.Check(panicky{counters{10}}, model.Options[pair]{Workers: 4})
	}()
	// Workers have finished their work before Check returns but may
	// still be exiting: yield until they are gone (a leak fails after
	// the deadline; a pass does not wait).
	for deadline := time.Now().Add(10 * time.Second); runtime.NumGoroutine() > before && time.Now().Before(deadline); {
		runtime.Gosched()
	}
	if after := runtime.NumGoroutine(); after > before {
		t.Errorf("%d goroutines before, %d after", before, after)
	}
}

func TestErrors(t *testing.T) {
	ok := func(pair) bool { return true }
	tests := []struct {
		name  string
		sys   model.System[pair]
		opts  model.Options[pair]
		props []model.Property[pair]
		want  string
	}{
		{"nil system", nil, model.Options[pair]{}, nil, "nil System"},
		{"negative workers", counters{2}, model.Options[pair]{Workers: -1}, nil, "negative"},
		{"negative limit", counters{2}, model.Options[pair]{MaxStates: -1}, nil, "negative"},
		{"unnamed", counters{2}, model.Options[pair]{}, []model.Property[pair]{model.Always("", ok)}, "no name"},
		{"duplicate", counters{2}, model.Options[pair]{}, []model.Property[pair]{model.Always("x", ok), model.Sometimes("x", ok)}, "two properties"},
		{"nil predicate", counters{2}, model.Options[pair]{}, []model.Property[pair]{model.Always[pair]("x", nil)}, "no predicate"},
		{"bad kind", counters{2}, model.Options[pair]{}, []model.Property[pair]{{Name: "x", Pred: ok}}, "invalid kind"},
		{"no initial state", noInit{}, model.Options[pair]{}, nil, "no initial state"},
		{"fairness class", badFair{}, model.Options[pair]{}, nil, "fairness class 65"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := model.Check(tt.sys, tt.opts, tt.props...)
			if err == nil || !strings.Contains(err.Error(), tt.want) || r != nil {
				t.Errorf("got %v, %v; want an error with %q", r, err, tt.want)
			}
		})
	}
}

type noInit struct{ counters }

func (noInit) Init(func(pair)) {}

type badFair struct{ counters }

func (badFair) Next(s pair, yield func(model.Action, pair)) {
	yield(model.Action{Fairness: model.MaxFairness + 1}, s)
}

func TestResultString(t *testing.T) {
	// Even with weak fairness P0 may starve: its check is disabled
	// whenever P1 holds its flag, so P1 may loop forever (3 steps).
	m := mutex{}
	r := check(t, m, model.Options[mutexState]{},
		model.Always("mutual exclusion", func(s mutexState) bool { return !(m.critical(s, 0) && m.critical(s, 1)) }),
		model.Sometimes("P1 enters", func(s mutexState) bool { return m.critical(s, 1) }),
		model.Eventually("P0 enters", func(s mutexState) bool { return m.critical(s, 0) }),
	)
	want := `fail: 9 states, 16 transitions, depth 4, 0 terminal, complete
always mutual exclusion: violated (4 steps)
sometimes P1 enters: reached (2 steps)
eventually P0 enters: violated (0 steps then a cycle of 3)`
	if got := r.String(); got != want {
		t.Errorf("String:\n%s\nwant:\n%s", got, want)
	}
}

func TestResultMemory(t *testing.T) {
	r := check(t, counters{1000}, model.Options[pair]{})
	if bps := r.BytesPerState(); bps <= 6 || bps >= 32 {
		t.Errorf("%.1f bytes per state, want under 32", bps)
	}
	if r.Memory.Graph != 0 {
		t.Errorf("graph memory %d without liveness properties", r.Memory.Graph)
	}
	r = check(t, counters{1000}, model.Options[pair]{}, model.Eventually("a", func(s pair) bool { return s.a == 999 }))
	// 12/load bytes of table, 6 of parent links, 4 of offsets and 5 for
	// each of 2 edges: at most 32+6+4+10 plus a page of slack.
	if bps := r.BytesPerState(); bps <= 16 || bps >= 54 {
		t.Errorf("%.1f bytes per state with liveness", bps)
	}
	if r.Memory.Peak == 0 {
		t.Error("no peak memory")
	}
}

// fan has 70000 initial states and a state with 70000 successors: their
// positions do not fit the 16 bits the checker keeps for most.
type fan struct{}

func (fan) Init(yield func(int)) {
	for i := range 70000 {
		yield(-i)
	}
}

func (fan) Next(s int, yield func(model.Action, int)) {
	if s == -69999 {
		for i := 1; i <= 70000; i++ {
			yield(model.Action{Code: uint32(i)}, i)
		}
	}
}

func TestManySuccessors(t *testing.T) {
	r := check(t, fan{}, model.Options[int]{AllowDeadlock: true, Workers: 2},
		model.Sometimes("last initial", is(-69998)),
		model.Sometimes("far successor", is(69000)))
	if r.States != 140000 {
		t.Errorf("%d states, want 140000", r.States)
	}
	if p := prop(t, r, "last initial").Path; p.InitIndex != 69998 || len(p.Steps) != 0 {
		t.Errorf("last initial: %v (index %d)", p, p.InitIndex)
	}
	p := prop(t, r, "far successor").Path
	if p.InitIndex != 69999 || len(p.Steps) != 1 || p.Steps[0].Index != 68999 || p.Last() != 69000 {
		t.Errorf("far successor: %v, choices %v", p, p.Choices())
	}
}
