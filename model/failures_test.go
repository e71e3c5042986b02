package model_test

import (
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/synfin/synfin/model"
)

// Tests of Check on systems and arguments that break its assumptions:
// colliding fingerprints, nondeterministic systems, panics, invalid
// arguments.

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
