package model_test

import (
	"fmt"
	"testing"

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
